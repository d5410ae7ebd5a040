// The page's static files, served from a fixed list (no directory walking, no path from the URL).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'public');

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/render.js': { file: 'render.js', type: 'text/javascript; charset=utf-8' },
  '/charts.js': { file: 'charts.js', type: 'text/javascript; charset=utf-8' },
  '/api-client.js': { file: 'api-client.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

/**
 * No inline script or style anywhere; the page may be framed by the EHR (an iframe launch), so
 * frame-ancestors is left to the deployment, which knows the EHR's origin.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; object-src 'none'";

export function registerStaticRoutes(app: FastifyInstance): void {
  const cache = new Map<string, Buffer>();
  for (const [path, { file, type }] of Object.entries(FILES)) {
    app.get(path, async (_request, reply) => {
      let body = cache.get(file);
      if (!body) {
        body = await readFile(join(PUBLIC_DIR, file));
        cache.set(file, body);
      }
      return reply
        .type(type)
        .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
        .header('X-Content-Type-Options', 'nosniff')
        .header('Referrer-Policy', 'same-origin')
        .header('Cache-Control', 'no-cache')
        .send(body);
    });
  }
}
