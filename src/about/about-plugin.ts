// Transparency pages: GET /about/{service-id} (HTML, or JSON with ?format=json) and GET /about.
// Every CiteCare card links here. Figures are read from the evaluation report on each request.
import { readFileSync } from 'node:fs';
import type { FastifyHelmetRouteOptions } from '@fastify/helmet';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { notFound } from '../fhir/outcomes.ts';
import { renderAboutHtml, renderAboutIndexHtml } from './about-html.ts';
import { type AboutServiceInfo, type AboutSources, buildAboutPage } from './about-page.ts';
import { readEvalFigures } from './eval-figures.ts';

export const DEFAULT_EVAL_REPORT = 'reports/eval-latest.json';

export interface AboutPluginOptions {
  /** The CDS service descriptors (cds-hooks/index.ts: CDS_SERVICES.map((s) => s.descriptor)). */
  services: readonly AboutServiceInfo[];
  /** The runtime (or the parts of it the page reports on). */
  runtime: AboutSources;
  /** Where the evaluation report is read from (default reports/eval-latest.json, relative to cwd). */
  reportPath?: string;
}

/** The about pages' CSP: static HTML with one inline stylesheet and inline SVG charts; no script. */
const ABOUT_PAGE_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      styleSrc: ["'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      formAction: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
} satisfies FastifyHelmetRouteOptions['helmet'];

const query = z.object({ format: z.enum(['html', 'json']).default('html') });

function packageVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return z.object({ version: z.string() }).parse(pkg).version;
  } catch {
    return 'unknown';
  }
}

export const aboutPlugin: FastifyPluginAsync<AboutPluginOptions> = async (app, opts) => {
  const version = packageVersion();
  const reportPath = opts.reportPath ?? DEFAULT_EVAL_REPORT;
  const byId = new Map(opts.services.map((s) => [s.id, s]));

  app.get('/about', { helmet: ABOUT_PAGE_HEADERS }, async (req, reply) => {
    const q = query.safeParse(req.query);
    if (q.success && q.data.format === 'json') {
      return reply.send({
        services: opts.services.map((s) => ({
          id: s.id,
          hook: s.hook,
          title: s.title,
          url: `/about/${s.id}`,
        })),
      });
    }
    return reply.type('text/html; charset=utf-8').send(renderAboutIndexHtml(opts.services));
  });

  app.get<{ Params: { serviceId: string } }>(
    '/about/:serviceId',
    { helmet: ABOUT_PAGE_HEADERS },
    async (req, reply) => {
      const service = byId.get(req.params.serviceId);
      if (!service) {
        return reply
          .code(404)
          .type('application/fhir+json')
          .send(notFound(`No CiteCare service with id ${req.params.serviceId}`));
      }
      const q = query.safeParse(req.query);
      const page = buildAboutPage(service, opts.runtime, version, await readEvalFigures(reportPath));
      reply.header('cache-control', 'no-cache');
      if (q.success && q.data.format === 'json') return reply.send(page);
      return reply.type('text/html; charset=utf-8').send(renderAboutHtml(page));
    },
  );
};
