// The auditor's API and page, registered by the app under `/audit`. The page and its assets are
// public (they hold no data); every /api route needs an auditor token.
import { Readable } from 'node:stream';
import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import {
  auditMetrics,
  chainVerification,
  errorBody,
  exportBody,
  exportQuery,
  filterQuery,
  listQuery,
  recordDetail,
  recordPage,
  recordParams,
  refusals,
} from '../audit/api-schemas.ts';
import { EXPORT_CONTENT_TYPES, exportChunks } from '../audit/export.ts';
import { InvalidFilterError } from '../audit/sql-record-filter.ts';
import type { AuditDatabase, AuditRecordDetail } from '../audit/types.ts';
import { AUDIT_WEB_ASSETS, auditPageHtml } from '../audit/web-assets.ts';
import { AuditorAuthError, type VerifyAuditor } from '../auth/auditor-auth.ts';
import { type RateLimitConfig, RateLimitedError, registerRateLimit } from '../http/rate-limit.ts';
import { WEB_COMMON_ASSETS } from '../web-common/assets.ts';
import { AUDIT_PAGE_HEADERS } from './security-headers.ts';

export interface AuditRoutesOptions {
  store: AuditDatabase;
  verifyAuditor: VerifyAuditor;
  /** Rate limit settings: each auditor (token subject) has one budget. */
  config: RateLimitConfig;
  /** The process's shared Redis client for the limit's counters (memory without one). */
  redis?: Redis;
}

function badQuery(reply: FastifyReply, problems: string[]) {
  return reply.code(400).send({ error: 'invalid query', problems });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified auditor's subject, on /audit/api routes. */
    auditorSubject?: string;
  }
}

// The OpenAPI document is built from the routes' zod schemas (fastify-type-provider-zod).
async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'CiteCare auditor API',
        version: '1',
        description: 'Read-only access to the hash-chained audit trail. Every route needs an auditor JWT.',
      },
      components: { securitySchemes: { auditor: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ auditor: [] }],
    },
    transform: jsonSchemaTransform,
  });
}

/** The page, its assets (its own and the shared web-common ones) and the API description: all public. */
function registerPage(app: FastifyInstance, base: string): void {
  app.get('/', { helmet: AUDIT_PAGE_HEADERS, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(auditPageHtml(base)),
  );
  for (const asset of [...AUDIT_WEB_ASSETS, ...WEB_COMMON_ASSETS]) {
    app.get(`/assets/${asset.name}`, { schema: { hide: true } }, async (_request, reply) =>
      reply.type(asset.contentType).header('cache-control', 'no-cache').send(asset.body()),
    );
  }
  // The description itself holds no data.
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

/** The onRequest hook of every /api route: a verified auditor, or 401/403 with no reason given. */
function requireAuditor(verifyAuditor: VerifyAuditor) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
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
  };
}

function apiErrorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof InvalidFilterError) return badQuery(reply, [err.message]);
  if (hasZodFastifySchemaValidationErrors(err)) {
    return badQuery(
      reply,
      err.validation.map(
        (v) => `${v.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'query'}: ${v.message}`,
      ),
    );
  }
  if (err instanceof RateLimitedError) {
    return reply
      .code(429)
      .header('retry-after', String(err.retryAfterSeconds))
      .send({ error: 'too many requests' });
  }
  request.log.error({ err }, 'audit API failed');
  return reply.code(500).send({ error: 'internal error' });
}

// Every API answer may be a refusal; a route with a query may also answer 400.
const queryAnswers = { 400: errorBody, ...refusals } as const;

/** The read-only routes over the store, behind `requireAuditor`. */
function registerApiRoutes(api: FastifyInstance, store: AuditDatabase): void {
  const routes = api.withTypeProvider<ZodTypeProvider>();
  const list = { querystring: listQuery, response: { 200: recordPage, ...queryAnswers } };
  routes.get('/records', { schema: list }, async (request) => store.list(request.query));

  const one = { params: recordParams, response: { 200: recordDetail, 404: errorBody, ...refusals } };
  routes.get('/records/:id', { schema: one }, async (request, reply) => {
    const detail = await store.get(request.params.id);
    if (!detail) return reply.code(404).send({ error: 'not found' });
    // AuditRecord is an interface (no index signature); the serializer checks the shape at run time.
    return detail as AuditRecordDetail & z.input<typeof recordDetail>;
  });

  const metrics = { querystring: filterQuery, response: { 200: auditMetrics, ...queryAnswers } };
  routes.get('/metrics', { schema: metrics }, async (request) => store.metrics(request.query));

  const verify = { response: { 200: chainVerification, ...refusals } };
  routes.get('/verify', { schema: verify }, async () => store.verifyChain());

  const exported = { querystring: exportQuery, response: { 200: exportBody, ...queryAnswers } };
  routes.get('/export', { schema: exported }, async (request, reply) => {
    const format = request.query.format;
    const stamp = new Date().toISOString().slice(0, 10);
    const ext = format === 'fhir' ? 'json' : 'ndjson';
    // A stream (NDJSON or a FHIR Bundle) of unbounded size: described, not serialised by schema.
    const stream: unknown = Readable.from(exportChunks(format, store.entries()));
    return reply
      .type(EXPORT_CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="citecare-audit-${stamp}.${ext}"`)
      .send(stream as never);
  });
}

export const auditRoutes: FastifyPluginAsync<AuditRoutesOptions> = async (
  app,
  { store, verifyAuditor, config, redis },
) => {
  await registerOpenApi(app);
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
  registerPage(app, app.prefix || '');

  await app.register(
    async (api) => {
      api.setValidatorCompiler(validatorCompiler);
      api.setSerializerCompiler(serializerCompiler);
      api.decorateRequest('auditorSubject', undefined);
      api.addHook('onRequest', requireAuditor(verifyAuditor));
      await registerRateLimit(api, config, {
        name: 'audit',
        key: (request) => request.auditorSubject,
        redis,
      });
      api.setErrorHandler(apiErrorHandler);
      registerApiRoutes(api, store);
    },
    { prefix: '/api' },
  );
};
