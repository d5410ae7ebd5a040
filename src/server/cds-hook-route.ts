// POST /cds-services/{id}: one hook call. The service's schema validates the request (400), the checks
// zod cannot express run next (400), the patient's data is taken from prefetch or fetched from the
// EHR's FHIR server (412 when required data cannot be had), and the pipeline decides, records and
// answers. A decision whose audit record cannot be written answers with no cards.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CdsServiceModule } from '../../cds-hooks/index.ts';
import { type CdsRequest, describeIssues } from '../../cds-hooks/request-schema.ts';
import { cdsResponseSchema } from '../cards/card-schema.ts';
import type { FhirGateway } from '../fhir/gateway.ts';
import { badRequest, notFound, preconditionFailed } from '../fhir/outcomes.ts';
import { QUERY_LABELS } from '../fhir/patient-queries.ts';
import { PrefetchUnavailableError, resolvePatientData } from '../fhir/prefetch.ts';
import { HOOK_OUTCOMES, type HookOutcome } from '../observability/metrics.ts';
import { AuditUnavailableError } from '../pipeline/run.ts';
import { ordersToCheck, requestProblem } from './cds-request-checks.ts';
import { appendCounted } from './counted-audit.ts';
import { sendOutcome } from './fhir-reply.ts';
import type { Runtime } from './runtime.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** How a hook call ended, when the handler got that far (the latency histogram's label). */
    hookOutcome?: HookOutcome;
  }
}

/** What a 412 says: which server and how it failed stay in the log and the audit record. */
const PRECONDITION_FAILED_TEXT = 'Required data could not be obtained from the FHIR server.';

/**
 * The one place a CDS request's FHIR gateway is made: the EHR's server with the EHR's token, when the
 * request names one; absent, only prefetch is used.
 */
function fhirGatewayFor(runtime: Runtime, body: CdsRequest): FhirGateway | undefined {
  if (!body.fhirServer) return undefined;
  return runtime.metrics.instrumentGateway(
    runtime.fhirGateway(
      body.fhirServer,
      { accessToken: body.fhirAuthorization?.access_token },
      // All fetching for this request shares one deadline, however many keys and pages.
      { deadline: Date.now() + runtime.config.FHIR_TIMEOUT_MS },
    ),
  );
}

/** A 412 leaves a record too (no cards, the reason in `errors`), so auditors see failed calls. */
async function recordPreconditionFailure(
  runtime: Runtime,
  request: FastifyRequest,
  service: CdsServiceModule,
  body: CdsRequest,
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

/** The patient's data, or undefined after answering 412 (and recording it). */
async function patientData(
  runtime: Runtime,
  request: FastifyRequest,
  reply: FastifyReply,
  service: CdsServiceModule,
  body: CdsRequest,
) {
  try {
    return await resolvePatientData({
      templates: service.descriptor.prefetch,
      required: service.required,
      context: body.context,
      prefetch: body.prefetch,
      gateway: fhirGatewayFor(runtime, body),
      labels: QUERY_LABELS,
    });
  } catch (err) {
    if (!(err instanceof PrefetchUnavailableError)) throw err;
    // The client learns only that data was missing: the reason (HTTP status, network error,
    // timeout) would tell it what lives at the URL it named.
    request.log.warn({ keys: err.keys, detail: err.message }, 'required data unavailable');
    await recordPreconditionFailure(runtime, request, service, body, err).catch((auditErr) => {
      request.log.error({ err: auditErr }, 'the audit record of a 412 could not be written');
    });
    await sendOutcome(reply, 412, preconditionFailed(PRECONDITION_FAILED_TEXT));
    return undefined;
  }
}

export function registerHookRoute(
  app: FastifyInstance,
  runtime: Runtime,
  byId: ReadonlyMap<string, CdsServiceModule>,
): void {
  app.post<{ Params: { id: string } }>('/cds-services/:id', async (request, reply) => {
    const startedAt = performance.now();
    const service = byId.get(request.params.id);
    if (!service) return sendOutcome(reply, 404, notFound(`No CDS service "${request.params.id}"`));
    const parsed = service.schema.safeParse(request.body);
    if (!parsed.success) {
      const { message, fields } = describeIssues(parsed.error);
      return sendOutcome(reply, 400, badRequest(message, fields));
    }
    const body = parsed.data;
    const orders = service.orders?.(body.context);
    const policy = {
      production: runtime.config.NODE_ENV === 'production',
      allowlist: runtime.fhirServersAllowed,
    };
    const problem = requestProblem(body, policy, orders);
    if (problem) return sendOutcome(reply, 400, badRequest(problem.message, [problem.field]));

    const resolved = await patientData(runtime, request, reply, service, body);
    if (!resolved) return reply;
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
        show: service.cards,
        reviewScope: service.chartReview,
        missing: resolved.missing,
      });
      const response = cdsResponseSchema.parse({ cards: result.silent ? [] : result.cards });
      request.hookOutcome = response.cards.length > 0 ? HOOK_OUTCOMES.cards : HOOK_OUTCOMES.noCards;
      return reply.send(response);
    } catch (err) {
      if (!(err instanceof AuditUnavailableError)) throw err;
      // A recommendation without its record is worse than none.
      request.log.error({ err: err.cause }, 'audit write failed: answering with no cards');
      request.hookOutcome = HOOK_OUTCOMES.auditFailure;
      return reply.send({ cards: [] });
    }
  });
}
