// The application as a fastify instance: plugins registered, no listening (src/server/serve.ts
// listens). One error handler turns every failure into an OperationOutcome and hides 5xx detail.
import cors, { type FastifyCorsOptions } from '@fastify/cors';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { badRequest, operationOutcome, serverError, tooLarge } from '../fhir/outcomes.ts';
import { RateLimitedError } from '../http/rate-limit.ts';
import { cdsRoutes } from './cds-routes.ts';
import { healthRoutes } from './health-routes.ts';
import { type LoggerSettings, loggerOptions } from './logger.ts';
import type { Runtime } from './runtime.ts';
import { registerSecurityHeaders } from './security-headers.ts';

export interface BuildAppOptions {
  /** Extra plugins (demo FHIR server, SMART app, audit, about pages) registered by serve.ts. */
  plugins?: Array<(app: FastifyInstance, runtime: Runtime) => Promise<void>>;
  /** Where log lines go (tests capture them); stdout by default. */
  logStream?: { write(line: string): void };
}

/** Every failure as an OperationOutcome; a 5xx is logged and its detail hidden. */
function sendError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = err.statusCode ?? 500;
  if (status === 413)
    return reply.code(413).type('application/fhir+json').send(tooLarge('Request body too large'));
  if (status === 415) {
    return reply
      .code(415)
      .type('application/fhir+json')
      .send(operationOutcome('error', 'not-supported', 'Send application/json'));
  }
  if (err instanceof RateLimitedError) {
    return reply
      .code(429)
      .header('retry-after', String(err.retryAfterSeconds))
      .type('application/fhir+json')
      .send(operationOutcome('error', 'throttled', err.message));
  }
  if (status >= 400 && status < 500) {
    const message =
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
        ? 'The request body is empty'
        : 'The request body is not valid JSON';
    const known = err.code?.startsWith('FST_ERR_CTP') || err instanceof SyntaxError;
    return reply
      .code(status)
      .type('application/fhir+json')
      .send(badRequest(known ? message : err.message));
  }
  request.log.error({ err }, 'request failed');
  return reply.code(500).type('application/fhir+json').send(serverError());
}

/** CORS options by path: the CDS routes reflect the caller's origin; nothing else allows any. */
function corsFor(url: string): FastifyCorsOptions {
  return url.startsWith('/cds-services')
    ? {
        origin: true,
        methods: ['GET', 'POST', 'OPTIONS'],
        allowedHeaders: ['Authorization', 'Content-Type'],
        maxAge: 600,
      }
    : { origin: false };
}

export async function buildApp(runtime: Runtime, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { config } = runtime;
  const logger: LoggerSettings = {
    ...loggerOptions(config),
    ...(options.logStream ? { stream: options.logStream } : {}),
  };
  const app = Fastify({
    logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.PUBLIC_BASE_URL.startsWith('https:'),
    genReqId: () => crypto.randomUUID(),
    return503OnClosing: true,
    // Errors fastify raises before routing (a malformed URL) go out as OperationOutcomes too,
    // without echoing the path.
    frameworkErrors: (err, _request, rawReply) => {
      const reply = rawReply as unknown as FastifyReply;
      const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 400;
      return reply
        .code(status)
        .type('application/fhir+json')
        .send(badRequest(err.code === 'FST_ERR_BAD_URL' ? 'The request URL is not valid' : 'Bad request'));
    },
  });
  await registerSecurityHeaders(app, config);

  // FHIR servers and EHRs send application/fhir+json; parse it like JSON.
  app.addContentTypeParser(
    ['application/fhir+json', 'application/json+fhir'],
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );

  app.setErrorHandler(sendError);

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/fhir+json')
      .send(
        operationOutcome('error', 'not-found', `No route ${request.method} ${request.url.split('?', 1)[0]}`),
      ),
  );

  // Browser-based CDS clients (the CDS Hooks Sandbox) preflight every call. CORS applies to the
  // CDS routes only, including their errors and 404s; credentials are bearer tokens, never cookies,
  // so reflecting the origin there exposes nothing. The SMART app and auditor page get no CORS.
  await app.register(cors, {
    delegator: (req, callback) => callback(null, corsFor(req.url ?? '')),
  });
  await app.register(healthRoutes, { runtime });
  await app.register(cdsRoutes, { runtime });
  for (const plugin of options.plugins ?? []) await plugin(app, runtime);
  return app;
}
