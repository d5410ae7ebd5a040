// The page's static files, served from a fixed list (no directory walking, no path from the URL):
// its own files, and the browser modules it shares with the auditor page under `web-common/`.
import type { FastifyInstance } from 'fastify';
import { CSS, cachedFile, JS, WEB_COMMON_ASSETS, type WebAsset } from '../src/web-common/assets.ts';
import { SMART_PAGE_ROUTE } from './page-headers.ts';

const PUBLIC_DIR = new URL('./public/', import.meta.url);

const file = (name: string, contentType: string): WebAsset => ({
  name,
  contentType,
  body: cachedFile(PUBLIC_DIR, name),
});

const INDEX = file('index.html', 'text/html; charset=utf-8');

const ASSETS: readonly WebAsset[] = [
  file('app.js', JS),
  file('render.js', JS),
  file('charts.js', JS),
  file('api-client.js', JS),
  file('app.css', CSS),
  ...WEB_COMMON_ASSETS,
];

export function registerStaticRoutes(app: FastifyInstance): void {
  const routes: [string, WebAsset][] = [
    ['/', INDEX],
    ['/index.html', INDEX],
    ...ASSETS.map((asset): [string, WebAsset] => [`/${asset.name}`, asset]),
  ];
  for (const [path, asset] of routes) {
    app.get(path, SMART_PAGE_ROUTE, async (_request, reply) =>
      reply.type(asset.contentType).header('Cache-Control', 'no-cache').send(asset.body()),
    );
  }
}
