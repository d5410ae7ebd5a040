// /smart/api/*: the backend-for-frontend. The browser sends its session cookie; the server holds
// the token, reads FHIR, runs the shared pipeline and writes the nurse's decision back.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { FhirGatewayError } from '../src/fhir/gateway.ts';
import { gatherPatientData } from '../src/fhir/patient-data.ts';
import type { AcuityLevel } from './codes.ts';
import type { SmartAppContext } from './context.ts';
import { DecisionError, sendDecision } from './decision.ts';
import { patientBanner } from './patient-banner.ts';
import {
  csrfProblem,
  type PendingDecision,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  type SmartSession,
} from './session.ts';
import { SessionExpiredError, withFhir } from './session-fhir.ts';
import { assessmentView, shownAssessment } from './view-model.ts';

declare module 'fastify' {
  interface FastifyRequest {
    smartSession?: SmartSession;
  }
}

const assessBody = z.object({ chiefComplaint: z.string().trim().max(500).optional() });

const decisionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), assessmentId: z.string().min(1).max(200) }),
  z.object({
    action: z.literal('override'),
    assessmentId: z.string().min(1).max(200),
    level: z.coerce.number().int().min(1).max(5),
    reason: z.string().trim().max(1000).optional(),
  }),
]);

const resourceParams = z.object({
  type: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/),
  id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
});

export const SESSION_EXPIRED_MESSAGE = 'Your session has expired. Relaunch the app from the EHR.';

function problem(reply: FastifyReply, status: number, error: string, message: string, extra: object = {}) {
  return reply
    .code(status)
    .header('Cache-Control', 'no-store')
    .send({ error, message, ...extra });
}

function pendingView(p: PendingDecision | undefined) {
  if (!p) return null;
  return {
    action: p.action,
    level: p.level,
    reason: p.reason ?? null,
    decidedAt: p.decidedAt,
    observation: p.observationRef ?? null,
    lastError: p.lastError ?? null,
  };
}

/** Maps failures at the FHIR edge to plain messages; anything else is rethrown (→ 500). */
function fhirProblem(reply: FastifyReply, err: unknown, extra: object = {}) {
  if (err instanceof SessionExpiredError)
    return problem(reply, 401, 'session-expired', SESSION_EXPIRED_MESSAGE, extra);
  if (err instanceof FhirGatewayError) {
    const what =
      err.kind === 'timeout'
        ? 'did not answer in time'
        : err.kind === 'http'
          ? `answered HTTP ${err.status}`
          : 'could not be reached';
    return problem(reply, 502, 'fhir-unavailable', `The FHIR server ${what}.`, extra);
  }
  if (err instanceof Error && err.name === 'PrefetchUnavailableError') {
    return problem(
      reply,
      502,
      'fhir-unavailable',
      'The patient record could not be read from the FHIR server.',
      extra,
    );
  }
  throw err;
}

export function registerApiRoutes(app: FastifyInstance, ctx: SmartAppContext): void {
  const { runtime, settings } = ctx;

  app.addHook('onRequest', async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    const id = request.cookies[SESSION_COOKIE];
    const session = id ? await ctx.sessions.get(id) : undefined;
    if (!session) {
      return problem(reply, 401, 'no-session', 'No active session. Launch the app from the EHR.');
    }
    request.smartSession = session;
    await ctx.sessions.set(session.id, session, SESSION_TTL_MS);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const csrf = csrfProblem(request, session, settings);
      if (csrf) return problem(reply, 403, 'csrf', csrf);
    }
  });

  const sessionOf = (request: FastifyRequest) => request.smartSession as SmartSession;

  app.get('/context', async (request, reply) => {
    const session = sessionOf(request);
    let patient: ReturnType<typeof patientBanner> = null;
    let patientError: string | null = null;
    try {
      const resource = await withFhir(ctx, session, (g) => g.read('Patient', session.patientId));
      patient = resource ? patientBanner(resource, runtime.clock.now()) : null;
      if (!resource) patientError = `Patient/${session.patientId} was not found on the FHIR server.`;
    } catch (err) {
      if (err instanceof SessionExpiredError) return fhirProblem(reply, err);
      // The page still loads (and shows any unsent decision); the assessment will report the outage.
      if (!(err instanceof FhirGatewayError)) throw err;
      patientError = 'The FHIR server could not be reached for the patient banner.';
    }
    return {
      csrfToken: session.csrfToken,
      mode: session.mode,
      server: session.iss,
      needPatientBanner: session.needPatientBanner,
      patient,
      patientError,
      patientId: session.patientId,
      encounterId: session.encounterId ?? null,
      fhirUser: session.fhirUser ?? null,
      pendingDecision: pendingView(session.pendingDecision),
      advisor: runtime.advisor.describe(),
    };
  });

  app.post('/assess', async (request, reply) => {
    const session = sessionOf(request);
    const body = assessBody.safeParse(request.body ?? {});
    if (!body.success)
      return problem(reply, 400, 'invalid', 'The chief complaint is too long (500 characters at most).');
    let data: { resources: Awaited<ReturnType<typeof gatherPatientData>>['resources']; missing: string[] };
    try {
      data = await withFhir(ctx, session, async (g) => {
        // Read the patient first: a refused token surfaces here (and is refreshed), instead of
        // being folded into "missing data" by the gatherer.
        const patient = await g.read('Patient', session.patientId);
        if (!patient) throw new FhirGatewayError('read Patient: not found', 'http', 404);
        return gatherPatientData(g, session.patientId, { encounterId: session.encounterId });
      });
    } catch (err) {
      return fhirProblem(reply, err);
    }
    let result: Awaited<ReturnType<typeof runtime.pipeline>>;
    try {
      result = await runtime.pipeline({
        channel: 'smart-app',
        service: 'smart-triage',
        hook: 'smart-launch',
        hookInstance: randomUUID(),
        user: session.fhirUser,
        patientId: session.patientId,
        encounterId: session.encounterId,
        resources: data.resources,
        chiefComplaint: body.data.chiefComplaint || undefined,
        at: runtime.clock.now(),
        adviceKind: 'triage',
        missing: data.missing,
      });
    } catch (err) {
      // No assessment may be shown without its audit record (architecture invariant 5).
      if ((err as Error).name !== 'AuditUnavailableError') throw err;
      return problem(
        reply,
        503,
        'audit-unavailable',
        'The audit trail cannot be written just now, so no assessment can be shown. Try again shortly.',
      );
    }
    session.lastAssessment = shownAssessment(result);
    await ctx.sessions.set(session.id, session, SESSION_TTL_MS);
    return assessmentView(result, data.missing, runtime.advisor.describe());
  });

  async function deliver(request: FastifyRequest, reply: FastifyReply, session: SmartSession) {
    const pending = session.pendingDecision as PendingDecision;
    try {
      const observation = await sendDecision(ctx, session, pending);
      session.pendingDecision = undefined;
      await ctx.sessions.set(session.id, session, SESSION_TTL_MS);
      return reply.code(201).send({ observation, level: pending.level, action: pending.action });
    } catch (err) {
      pending.lastError = err instanceof Error ? err.message : 'unknown error';
      await ctx.sessions.set(session.id, session, SESSION_TTL_MS);
      const kept = { pendingDecision: pendingView(pending) };
      if (err instanceof DecisionError) return problem(reply, err.status, err.code, err.message, kept);
      request.log.error({ err }, 'decision could not be delivered');
      return fhirProblem(reply, err, kept);
    }
  }

  app.post('/decision', async (request, reply) => {
    const session = sessionOf(request);
    const body = decisionBody.safeParse(request.body ?? {});
    if (!body.success) return problem(reply, 400, 'invalid', 'The decision is incomplete.');
    const shown = session.lastAssessment;
    if (!shown || shown.recordId !== body.data.assessmentId) {
      return problem(
        reply,
        409,
        'stale-assessment',
        'The assessment changed since this page was drawn. Review it and decide again.',
      );
    }
    if (body.data.action === 'override' && !body.data.reason) {
      return problem(reply, 400, 'reason-required', 'An override needs a reason.');
    }
    session.pendingDecision = {
      assessment: shown,
      action: body.data.action,
      level: (body.data.action === 'override' ? body.data.level : shown.level) as AcuityLevel,
      reason: body.data.action === 'override' ? body.data.reason : undefined,
      decidedAt: runtime.clock.now().toISOString(),
    };
    await ctx.sessions.set(session.id, session, SESSION_TTL_MS);
    return deliver(request, reply, session);
  });

  app.post('/decision/retry', async (request, reply) => {
    const session = sessionOf(request);
    if (!session.pendingDecision)
      return problem(reply, 404, 'nothing-pending', 'There is no unsent decision.');
    return deliver(request, reply, session);
  });

  app.get('/resource/:type/:id', async (request, reply) => {
    const session = sessionOf(request);
    const params = resourceParams.safeParse(request.params);
    if (!params.success) return problem(reply, 400, 'invalid', 'Not a FHIR reference.');
    try {
      const resource = await withFhir(ctx, session, (g) => g.read(params.data.type, params.data.id));
      if (!resource)
        return problem(reply, 404, 'not-found', `${params.data.type}/${params.data.id} was not found.`);
      return reply.type('application/fhir+json; charset=utf-8').send(JSON.stringify(resource, null, 2));
    } catch (err) {
      return fhirProblem(reply, err);
    }
  });
}
