// The auditor's API and page, registered by the app under `/audit`. The page and its assets are
// public (they hold no data); every /api route needs an auditor token.
import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EXPORT_CONTENT_TYPES, EXPORT_FORMATS, exportChunks } from '../audit/export.ts';
import { InvalidFilterError } from '../audit/sql-audit-reader.ts';
import type { AuditDatabase } from '../audit/types.ts';
import { AUDIT_WEB_ASSETS, auditPageHtml } from '../audit/web-assets.ts';
import { AuditorAuthError, type VerifyAuditor } from '../auth/auditor-auth.ts';
import { type RateLimitConfig, RateLimitedError, registerRateLimit } from './rate-limit.ts';
import { AUDIT_PAGE_HEADERS } from './security-headers.ts';

export interface AuditRoutesOptions {
  store: AuditDatabase;
  verifyAuditor: VerifyAuditor;
  /** Rate limit settings: each auditor (token subject) has one budget. */
  config: RateLimitConfig;
}

const time = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const text = z.string().trim().min(1).max(200);

const filterQuery = z.object({
  from: time.optional(),
  to: time.optional(),
  service: text.optional(),
  patient: text.optional(),
  model: text.optional(),
  fallback: flag.optional(),
  silent: flag.optional(),
});

const listQuery = filterQuery.extend({
  outcome: z.enum(['accepted', 'overridden', 'none']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().max(64).optional(),
});

const exportQuery = z.object({ format: z.enum(EXPORT_FORMATS).default('ndjson') });

function badQuery(reply: FastifyReply, error: z.ZodError | InvalidFilterError) {
  const problems =
    error instanceof z.ZodError
      ? error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`)
      : [error.message];
  return reply.code(400).send({ error: 'invalid query', problems });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified auditor's subject, on /audit/api routes. */
    auditorSubject?: string;
  }
}

export const auditRoutes: FastifyPluginAsync<AuditRoutesOptions> = async (
  app,
  { store, verifyAuditor, config },
) => {
  const base = app.prefix || '';

  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.get('/', { helmet: AUDIT_PAGE_HEADERS }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(auditPageHtml(base)),
  );
  for (const asset of AUDIT_WEB_ASSETS) {
    app.get(`/assets/${asset.name}`, async (_request, reply) =>
      reply.type(asset.contentType).header('cache-control', 'no-cache').send(asset.body()),
    );
  }

  await app.register(
    async (api) => {
      api.decorateRequest('auditorSubject', undefined);
      api.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        try {
          const auditor = await verifyAuditor(request.headers.authorization);
          request.auditorSubject = auditor.subject;
          // Who read what, kept in the service log (not in the chain, which holds decisions only).
          // The route pattern, not the URL: filter values go under `filters`, where the logger's
          // redaction still hides a patient id.
          request.log.info(
            {
              auditor: auditor.subject,
              at: new Date().toISOString(),
              endpoint: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
              filters: request.query,
              ...(request.params && Object.keys(request.params).length ? { target: request.params } : {}),
            },
            'auditor read',
          );
        } catch (err) {
          if (!(err instanceof AuditorAuthError)) throw err;
          // No reason in the answer: a rejected caller learns nothing about the trail or the rules.
          if (err.statusCode === 401) {
            return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
          }
          return reply.code(403).send({ error: 'forbidden' });
        }
      });

      await registerRateLimit(api, config, { name: 'audit', key: (request) => request.auditorSubject });

      api.setErrorHandler((err, request, reply) => {
        if (err instanceof InvalidFilterError) return badQuery(reply, err);
        if (err instanceof RateLimitedError) {
          return reply
            .code(429)
            .header('retry-after', String(err.retryAfterSeconds))
            .send({ error: 'too many requests' });
        }
        request.log.error({ err }, 'audit API failed');
        return reply.code(500).send({ error: 'internal error' });
      });

      api.get('/records', async (request, reply) => {
        const q = listQuery.safeParse(request.query);
        if (!q.success) return badQuery(reply, q.error);
        return store.list(q.data);
      });

      api.get<{ Params: { id: string } }>('/records/:id', async (request, reply) => {
        const detail = await store.get(request.params.id);
        if (!detail) return reply.code(404).send({ error: 'not found' });
        return detail;
      });

      api.get('/metrics', async (request, reply) => {
        const q = filterQuery.safeParse(request.query);
        if (!q.success) return badQuery(reply, q.error);
        return store.metrics(q.data);
      });

      api.get('/verify', async () => store.verifyChain());

      api.get('/export', async (request, reply) => {
        const q = exportQuery.safeParse(request.query);
        if (!q.success) return badQuery(reply, q.error);
        const format = q.data.format;
        const stamp = new Date().toISOString().slice(0, 10);
        const ext = format === 'fhir' ? 'json' : 'ndjson';
        return reply
          .type(EXPORT_CONTENT_TYPES[format])
          .header('content-disposition', `attachment; filename="citecare-audit-${stamp}.${ext}"`)
          .send(Readable.from(exportChunks(format, store.entries())));
      });
    },
    { prefix: '/api' },
  );
};
