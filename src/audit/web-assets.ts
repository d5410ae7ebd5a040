// The auditor page's static files (plain HTML, one script, one stylesheet; no framework, no build).
import { readFileSync } from 'node:fs';

const dir = new URL('./web/', import.meta.url);

function cached(name: string): () => string {
  let text: string | undefined;
  return () => {
    text ??= readFileSync(new URL(name, dir), 'utf8');
    return text;
  };
}

const JS = 'text/javascript; charset=utf-8';

// Classic deferred scripts, run in this order: helpers, charts, record story, then the page.
export const AUDIT_WEB_ASSETS = [
  { name: 'audit-dom.js', contentType: JS, body: cached('audit-dom.js') },
  { name: 'audit-charts.js', contentType: JS, body: cached('audit-charts.js') },
  { name: 'audit-record.js', contentType: JS, body: cached('audit-record.js') },
  { name: 'audit.js', contentType: JS, body: cached('audit.js') },
  { name: 'audit.css', contentType: 'text/css; charset=utf-8', body: cached('audit.css') },
] as const;

const page = cached('audit.html');

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The page, with the prefix the plugin is mounted under so asset and API URLs resolve. */
export function auditPageHtml(base: string): string {
  return page().replaceAll('{{BASE}}', escapeAttribute(base));
}
