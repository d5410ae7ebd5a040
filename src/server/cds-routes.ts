// CDS Hooks 2.0 routes: discovery, one endpoint per service, feedback. CORS and client JWT
// authentication apply to every route in this plugin (and only here).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { feedbackSchema } from '../../cds-hooks/feedback-schema.ts';
import { CDS_SERVICES, type CdsServiceModule } from '../../cds-hooks/index.ts';
import { describeIssues } from '../../cds-hooks/request-schema.ts';
import { CdsAuthError, createCdsAuthenticator } from '../auth/cds-jwt.ts';
import { cdsResponseSchema } from '../cards/card-schema.ts';
import {
  badRequest,
  notFound,
  operationOutcome,
  preconditionFailed,
  unauthorized,
} from '../fhir/outcomes.ts';
import { QUERY_LABELS } from '../fhir/patient-queries.ts';
import { PrefetchUnavailableError, resolvePatientData } from '../fhir/prefetch.ts';
import { registerRateLimit } from '../http/rate-limit.ts';
import { HOOK_OUTCOMES, type HookOutcome } from '../observability/metrics.ts';
import { AuditUnavailableError } from '../pipeline/run.ts';
import { ordersToCheck, requestProblem } from './cds-request-checks.ts';
import type { Runtime } from './runtime.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated CDS client (absent when CDS_AUTH=disabled). */
    cdsCaller?: { iss: string; jti: string; tenant?: string };
    /** How a hook call ended, when the handler got that far (the latency histogram's label). */
    hookOutcome?: HookOutcome;
  }
}

export interface CdsRoutesOptions {
  runtime: Runtime;
  services?: readonly CdsServiceModule[];
}

function sendOutcome(reply: FastifyReply, status: number, outcome: object) {
  return reply.code(status).type('application/fhir+json').send(outcome);
}

/** What a 412 says: which server and how it failed stay in the log and the audit record. */
const PRECONDITION_FAILED_TEXT = 'Required data could not be obtained from the FHIR server.';

/** The same caller: issuer and tenant (absent on both sides when CDS_AUTH=disabled). */
function sameCaller(
  recorded: { iss: string; tenant?: string } | undefined,
  caller: { iss: string; tenant?: string } | undefined,
): boolean {
  if (!recorded || !caller) return !recorded && !caller;
  return recorded.iss === caller.iss && recorded.tenant === caller.tenant;
}

/**
 * Feedback must be about a card this service returned to this very client (issuer and tenant), and
 * accept only suggestions that card had. Another client's card is answered as unknown: it learns
 * nothing about cards it never received.
 */
async function feedbackProblem(
  runtime: Runtime,
  serviceId: string,
  caller: FastifyRequest['cdsCaller'],
  f: { card: string; outcome: string; acceptedSuggestions?: Array<{ id: string }> },
): Promise<{ status: number; message: string; field: string } | undefined> {
  const record = await runtime.audit.recordForCard(f.card);
  if (!record || !sameCaller(record.client, caller))
    return { status: 404, message: `card ${f.card} was not returned by CiteCare`, field: 'card' };
  if (record.service !== serviceId) {
    return {
      status: 400,
      message: `card ${f.card} was returned by another service (${record.service})`,
      field: 'card',
    };
  }
  const card = (record.cards as Array<{ uuid?: string; suggestions?: Array<{ uuid?: string }> }>).find(
    (c) => c.uuid === f.card,
  );
  const offered = new Set((card?.suggestions ?? []).map((s) => s.uuid));
  const unknown = (f.acceptedSuggestions ?? []).find((s) => !offered.has(s.id));
  if (unknown)
    return {
      status: 400,
      message: `suggestion ${unknown.id} is not one of this card's suggestions`,
      field: 'acceptedSuggestions',
    };
  return undefined;
}

/** A 412 leaves a record too (no cards, the reason in `errors`), so auditors see failed calls. */
async function recordPreconditionFailure(
  runtime: Runtime,
  request: FastifyRequest,
  service: CdsServiceModule,
  body: { hookInstance: string; context: { userId: string; patientId: string } },
  err: PrefetchUnavailableError,
): Promise<void> {
  await appendCounted(runtime, () =>
    runtime.audit.append({
      time: runtime.clock.now().toISOString(),
      channel: 'cds-hooks',
      service: service.descriptor.id,
      hook: service.descriptor.hook,
      hookInstance: body.hookInstance,
      user: body.context.userId,
      client: request.cdsCaller,
      patient: `Patient/${body.context.patientId}`,
      resources: [],
      snapshotHash: '',
      scores: null,
      findings: [],
      retrieval: { corpusVersion: runtime.guidelines.corpusVersion, chunkIds: [] },
      cards: [],
      cardIds: [],
      silent: false,
      fallback: false,
      timings: {},
      errors: [`412: ${err.message}`],
    }),
  );
}

/**
 * An audit write made by a route (a 412's record, a feedback batch): timed and counted like the
 * pipeline's own appends, and reported to readiness, so a store that stops writing turns /readyz red
 * whichever path found it.
 */
async function appendCounted<T>(runtime: Runtime, append: () => Promise<T>): Promise<T> {
  try {
    const out = await runtime.metrics.timeAuditAppend(append);
    runtime.health.auditWrite(true);
    return out;
  } catch (err) {
    runtime.health.auditWrite(false);
    throw err;
  }
}

export const cdsRoutes: FastifyPluginAsync<CdsRoutesOptions> = async (app, opts) => {
  const { runtime } = opts;
  const { config } = runtime;
  const services = opts.services ?? CDS_SERVICES;
  const byId = new Map(services.map((s) => [s.descriptor.id, s]));

  app.decorateRequest('cdsCaller', undefined);
  app.decorateRequest('hookOutcome', undefined);
  // Hook latency by service and outcome, rejected calls (401, 400, 412) included. Unknown service
  // ids are labelled as such so a scanner cannot grow the label set.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'POST' || request.routeOptions.url !== '/cds-services/:id') return;
    const id = (request.params as { id?: string }).id ?? '';
    const status = reply.statusCode;
    const outcome =
      request.hookOutcome ??
      (status === 412
        ? HOOK_OUTCOMES.preconditionFailed
        : status >= 400 && status < 500
          ? HOOK_OUTCOMES.clientError
          : '5xx');
    runtime.metrics.hookDuration.observe(
      { service: byId.has(id) ? id : 'unknown', outcome },
      reply.elapsedTime / 1000,
    );
  });
  const authenticator = createCdsAuthenticator({
    clients: runtime.cdsClients,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    replayCache: runtime.replayCache,
    clock: runtime.clock,
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'OPTIONS' || config.CDS_AUTH === 'disabled') return;
    try {
      const caller = await authenticator.verify(request.headers.authorization, request.url);
      request.cdsCaller = {
        iss: caller.iss,
        jti: caller.jti,
        ...(caller.tenant !== undefined ? { tenant: caller.tenant } : {}),
      };
      request.log.info({ iss: caller.iss, jti: caller.jti }, 'CDS client authenticated');
    } catch (err) {
      if (!(err instanceof CdsAuthError)) {
        // The replay cache or a key server is down: not the client's fault, and not a pass either.
        request.log.error({ err }, 'CDS authentication could not be checked');
        return sendOutcome(
          reply,
          503,
          operationOutcome('error', 'transient', 'Authentication is temporarily unavailable'),
        );
      }
      // The reason goes to the log only; the client learns nothing about why.
      request.log.warn({ reason: err.reason, ...err.context }, 'CDS client rejected');
      reply.header('WWW-Authenticate', 'Bearer');
      return sendOutcome(reply, 401, unauthorized());
    }
  });

  app.get('/cds-services', async () => ({
    services: services.map((s) => s.descriptor),
  }));

  app.post<{ Params: { id: string } }>('/cds-services/:id', async (request, reply) => {
    const startedAt = performance.now();
    const service = byId.get(request.params.id);
    if (!service) return sendOutcome(reply, 404, notFound(`No CDS service "${request.params.id}"`));
    const parsed = service.schema.safeParse(request.body);
    if (!parsed.success) {
      const { message, fields } = describeIssues(parsed.error);
      return sendOutcome(reply, 400, badRequest(message, fields));
    }
    const body = parsed.data as {
      hook: string;
      hookInstance: string;
      fhirServer?: string;
      fhirAuthorization?: { access_token: string; patient?: string };
      context: Record<string, unknown> & { userId: string; patientId: string; encounterId?: string };
      prefetch?: Record<string, unknown>;
    };
    const orders = service.orders?.(body.context);
    const policy = { production: config.NODE_ENV === 'production', allowlist: runtime.fhirServersAllowed };
    const problem = requestProblem(body, policy, orders);
    if (problem) return sendOutcome(reply, 400, badRequest(problem.message, [problem.field]));

    const gateway = body.fhirServer
      ? runtime.metrics.instrumentGateway(
          runtime.fhirGateway(
            body.fhirServer,
            { accessToken: body.fhirAuthorization?.access_token },
            // All fetching for this request shares one deadline, however many keys and pages.
            { deadline: Date.now() + config.FHIR_TIMEOUT_MS },
          ),
        )
      : undefined;

    let resolved: Awaited<ReturnType<typeof resolvePatientData>>;
    try {
      resolved = await resolvePatientData({
        templates: service.descriptor.prefetch,
        required: service.required,
        context: body.context,
        prefetch: body.prefetch,
        gateway,
        labels: QUERY_LABELS,
      });
    } catch (err) {
      if (err instanceof PrefetchUnavailableError) {
        // The client learns only that data was missing: the reason (HTTP status, network error,
        // timeout) would tell it what lives at the URL it named.
        request.log.warn({ keys: err.keys, detail: err.message }, 'required data unavailable');
        await recordPreconditionFailure(runtime, request, service, body, err).catch((auditErr) => {
          request.log.error({ err: auditErr }, 'the audit record of a 412 could not be written');
        });
        return sendOutcome(reply, 412, preconditionFailed(PRECONDITION_FAILED_TEXT));
      }
      throw err;
    }

    try {
      const result = await runtime.pipeline({
        channel: 'cds-hooks',
        service: service.descriptor.id,
        hook: service.descriptor.hook,
        hookInstance: body.hookInstance,
        user: body.context.userId,
        patientId: body.context.patientId,
        encounterId: body.context.encounterId,
        resources: resolved.resources,
        draftOrders: orders ? ordersToCheck(orders) : undefined,
        selections: orders?.selections,
        startedAt,
        client: request.cdsCaller,
        at: runtime.clock.now(),
        adviceKind: service.adviceKind,
        missing: resolved.missing,
      });
      const response = cdsResponseSchema.parse({ cards: result.silent ? [] : result.cards });
      request.hookOutcome = response.cards.length > 0 ? HOOK_OUTCOMES.cards : HOOK_OUTCOMES.noCards;
      return reply.send(response);
    } catch (err) {
      if (err instanceof AuditUnavailableError) {
        // A recommendation without its record is worse than none.
        request.log.error({ err: err.cause }, 'audit write failed: answering with no cards');
        request.hookOutcome = HOOK_OUTCOMES.auditFailure;
        return reply.send({ cards: [] });
      }
      throw err;
    }
  });

  // Feedback is limited per client (a runaway EHR loop, or a client poisoning the metrics).
  await registerRateLimit(app, config, {
    name: 'cds-feedback',
    key: (request) => request.cdsCaller?.iss,
    global: false,
    redis: runtime.redis,
  });

  app.post<{ Params: { id: string } }>(
    '/cds-services/:id/feedback',
    { config: { rateLimit: {} } },
    async (request, reply) => {
      const service = byId.get(request.params.id);
      if (!service) return sendOutcome(reply, 404, notFound(`No CDS service "${request.params.id}"`));
      const parsed = feedbackSchema.safeParse(request.body);
      if (!parsed.success) {
        const { message, fields } = describeIssues(parsed.error);
        return sendOutcome(reply, 400, badRequest(message, fields));
      }
      // Check the whole batch before storing any of it: all or nothing, so a retry loses nothing.
      for (const [i, f] of parsed.data.feedback.entries()) {
        const problem = await feedbackProblem(runtime, service.descriptor.id, request.cdsCaller, f);
        if (problem)
          return sendOutcome(
            reply,
            problem.status,
            badRequest(problem.message, [`feedback[${i}].${problem.field}`]),
          );
      }
      try {
        // One transaction: a batch is stored whole or not at all, so a retry never duplicates.
        await appendCounted(runtime, () =>
          runtime.audit.appendFeedbackBatch(
            parsed.data.feedback.map((f) => ({
              channel: 'cds-hooks' as const,
              service: service.descriptor.id,
              cardId: f.card,
              outcome: f.outcome,
              acceptedSuggestions: f.acceptedSuggestions?.map((s) => s.id),
              overrideReason: f.overrideReason?.reason,
              userComment: f.overrideReason?.userComment,
              outcomeTimestamp: f.outcomeTimestamp,
            })),
          ),
        );
      } catch (err) {
        request.log.error({ err }, 'feedback could not be stored');
        return sendOutcome(
          reply,
          503,
          operationOutcome('error', 'transient', 'Feedback could not be stored; please send it again'),
        );
      }
      return reply.code(200).send();
    },
  );
};
