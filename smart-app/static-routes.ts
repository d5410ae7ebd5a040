// The page's static files, served from a fixed list (no directory walking, no path from the URL).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { SMART_PAGE_ROUTE } from './page-headers.ts';

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

export function registerStaticRoutes(app: FastifyInstance): void {
  const cache = new Map<string, Buffer>();
  for (const [path, { file, type }] of Object.entries(FILES)) {
    app.get(path, SMART_PAGE_ROUTE, async (_request, reply) => {
      let body = cache.get(file);
      if (!body) {
        body = await readFile(join(PUBLIC_DIR, file));
        cache.set(file, body);
      }
      return reply.type(type).header('Cache-Control', 'no-cache').send(body);
    });
  }
}
