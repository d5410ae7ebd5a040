// CDS Hooks 2.0 routes: discovery, one endpoint per service, feedback. CORS and client JWT
// authentication apply to every route in this plugin (and only here).
import cors from '@fastify/cors';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { feedbackSchema } from '../../cds-hooks/feedback-schema.ts';
import { CDS_SERVICES, type CdsServiceModule } from '../../cds-hooks/index.ts';
import { describeIssues } from '../../cds-hooks/request-schema.ts';
import { CdsAuthError, createCdsAuthenticator } from '../auth/cds-jwt.ts';
import { cdsResponseSchema } from '../cards/card-schema.ts';
import { createFhirKitGateway } from '../fhir/fhir-kit-gateway.ts';
import {
  badRequest,
  notFound,
  operationOutcome,
  preconditionFailed,
  unauthorized,
} from '../fhir/outcomes.ts';
import { QUERY_LABELS } from '../fhir/patient-queries.ts';
import { PrefetchUnavailableError, resolvePatientData } from '../fhir/prefetch.ts';
import { AuditUnavailableError } from '../pipeline/run.ts';
import type { Runtime } from './runtime.ts';

export interface CdsRoutesOptions {
  runtime: Runtime;
  services?: readonly CdsServiceModule[];
}

function sendOutcome(reply: FastifyReply, status: number, outcome: object) {
  return reply.code(status).type('application/fhir+json').send(outcome);
}

export const cdsRoutes: FastifyPluginAsync<CdsRoutesOptions> = async (app, opts) => {
  const { runtime } = opts;
  const { config } = runtime;
  const services = opts.services ?? CDS_SERVICES;
  const byId = new Map(services.map((s) => [s.descriptor.id, s]));

  // Browser-based clients (the CDS Hooks Sandbox) preflight every call: answer for any origin.
  // Credentials are bearer tokens, never cookies, so reflecting the origin exposes nothing.
  await app.register(cors, {
    origin: true,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
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
      fhirAuthorization?: { access_token: string };
      context: Record<string, unknown> & { userId: string; patientId: string; encounterId?: string };
      prefetch?: Record<string, unknown>;
    };
    if (config.NODE_ENV === 'production' && body.fhirServer?.startsWith('http:')) {
      return sendOutcome(reply, 400, badRequest('fhirServer must use https', ['fhirServer']));
    }
    const given = body.prefetch?.patient as { resourceType?: string; id?: string } | null | undefined;
    if (given && given.resourceType === 'Patient' && given.id !== body.context.patientId) {
      return sendOutcome(
        reply,
        400,
        badRequest('prefetch.patient is not the patient in context.patientId', ['prefetch.patient']),
      );
    }

    const gateway = body.fhirServer
      ? createFhirKitGateway({
          baseUrl: body.fhirServer,
          accessToken: body.fhirAuthorization?.access_token,
          timeoutMs: config.FHIR_TIMEOUT_MS,
          maxPages: config.FHIR_MAX_PAGES,
        })
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
        request.log.warn({ keys: err.keys }, 'required data unavailable');
        return sendOutcome(reply, 412, preconditionFailed(err.message));
      }
      throw err;
    }

    const orders = service.orders?.(body.context);
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
        draftOrders: orders?.draftOrders,
        selections: orders?.selections,
        at: runtime.clock.now(),
        adviceKind: service.adviceKind,
        missing: resolved.missing,
      });
      const response = cdsResponseSchema.parse({ cards: result.silent ? [] : result.cards });
      return reply.send(response);
    } catch (err) {
      if (err instanceof AuditUnavailableError) {
        // A recommendation without its record is worse than none.
        request.log.error({ err: err.cause }, 'audit write failed: answering with no cards');
        return reply.send({ cards: [] });
      }
      throw err;
    }
  });

  app.post<{ Params: { id: string } }>('/cds-services/:id/feedback', async (request, reply) => {
    const service = byId.get(request.params.id);
    if (!service) return sendOutcome(reply, 404, notFound(`No CDS service "${request.params.id}"`));
    const parsed = feedbackSchema.safeParse(request.body);
    if (!parsed.success) {
      const { message, fields } = describeIssues(parsed.error);
      return sendOutcome(reply, 400, badRequest(message, fields));
    }
    try {
      for (const f of parsed.data.feedback) {
        await runtime.audit.appendFeedback({
          channel: 'cds-hooks',
          service: service.descriptor.id,
          cardId: f.card,
          outcome: f.outcome,
          acceptedSuggestions: f.acceptedSuggestions?.map((s) => s.id),
          overrideReason: f.overrideReason?.reason,
          userComment: f.overrideReason?.userComment,
          outcomeTimestamp: f.outcomeTimestamp,
        });
      }
    } catch (err) {
      request.log.error({ err }, 'feedback could not be stored');
      runtime.health.auditWritable = false;
      return sendOutcome(
        reply,
        503,
        operationOutcome('error', 'transient', 'Feedback could not be stored; please send it again'),
      );
    }
    return reply.code(200).send();
  });
};
