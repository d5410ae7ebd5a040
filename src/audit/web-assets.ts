// The auditor page's static files (plain HTML, ES modules, one stylesheet; no framework, no build).
// The modules it shares with the SMART page (src/web-common) are served beside these.
import { CSS, cachedFile, JS, type WebAsset } from '../web-common/assets.ts';

const dir = new URL('./web/', import.meta.url);

const file = (name: string, contentType: string): WebAsset => ({
  name,
  contentType,
  body: cachedFile(dir, name),
});

/** audit.js is the page's entry module; it imports the others. */
export const AUDIT_WEB_ASSETS: readonly WebAsset[] = [
  file('audit.js', JS),
  file('audit-api.js', JS),
  file('audit-filters.js', JS),
  file('audit-format.js', JS),
  file('audit-records.js', JS),
  file('audit-metrics.js', JS),
  file('audit-charts.js', JS),
  file('audit-record.js', JS),
  file('audit.css', CSS),
];

const page = cachedFile(dir, 'audit.html');

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The page, with the prefix the plugin is mounted under so asset and API URLs resolve. */
export function auditPageHtml(base: string): string {
  return page().replaceAll('{{BASE}}', escapeAttribute(base));
}
