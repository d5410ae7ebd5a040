// The browser modules and stylesheet both pages share. Each page's static routes serve them under
// `web-common/` beside its own files, so a page imports them as `./web-common/dom.js` (same origin,
// allowed by `script-src 'self'`).
import { readFileSync } from 'node:fs';

export interface WebAsset {
  /** The path below the page's asset folder. */
  name: string;
  contentType: string;
  body: () => string;
}

const here = new URL('./', import.meta.url);

/** A file read once, on first use. */
export function cachedFile(dir: URL, name: string): () => string {
  let text: string | undefined;
  return () => {
    text ??= readFileSync(new URL(name, dir), 'utf8');
    return text;
  };
}

export const JS = 'text/javascript; charset=utf-8';
export const CSS = 'text/css; charset=utf-8';

export const WEB_COMMON_ASSETS: readonly WebAsset[] = [
  { name: 'web-common/dom.js', contentType: JS, body: cachedFile(here, 'dom.js') },
  { name: 'web-common/http.js', contentType: JS, body: cachedFile(here, 'http.js') },
  { name: 'web-common/common.css', contentType: CSS, body: cachedFile(here, 'common.css') },
];
