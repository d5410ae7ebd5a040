// /smart/api/*: the backend-for-frontend. The browser sends its session cookie; the server holds
// the token, reads FHIR and runs the shared pipeline; decisions are in decision-routes.ts.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { FhirGatewayError } from '../src/fhir/gateway.ts';
import { gatherPatientData } from '../src/fhir/patient-data.ts';
import { patientOf } from '../src/fhir/prefetch.ts';
import { fhirProblem, pendingView, problem } from './api-problems.ts';
import { type SmartAppContext, saveSession } from './context.ts';
import { registerDecisionRoutes } from './decision-routes.ts';
import { patientBanner } from './patient-banner.ts';
import {
  clearCookie,
  csrfProblem,
  HANDLE_PATTERN,
  PAGE_PATIENT_HEADER,
  pendingKey,
  SESSION_HANDLE_HEADER,
  type SmartSession,
  sessionCookieName,
  sessionTtl,
} from './session.ts';
import { SessionExpiredError, withFhir } from './session-fhir.ts';
import { assessmentView, shownAssessment } from './view-model.ts';

declare module 'fastify' {
  interface FastifyRequest {
    smartSession?: SmartSession;
  }
}

export { SESSION_EXPIRED_MESSAGE } from './api-problems.ts';

const assessBody = z.object({ chiefComplaint: z.string().trim().max(500).optional() });

const resourceParams = z.object({
  type: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/),
  id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
});

export function registerApiRoutes(app: FastifyInstance, ctx: SmartAppContext): void {
  const { runtime, settings } = ctx;

  app.addHook('onRequest', async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    // The page names its own launch (header, or ?session= on a link): each launch has its own
    // cookie, so another launch in this browser cannot swap the patient under an open tab.
    const header = request.headers[SESSION_HANDLE_HEADER];
    const query = (request.query as Record<string, unknown> | undefined)?.session;
    const handle = typeof header === 'string' ? header : typeof query === 'string' ? query : undefined;
    const id = handle && HANDLE_PATTERN.test(handle) ? request.cookies[sessionCookieName(handle)] : undefined;
    const session = id ? await ctx.sessions.get(id) : undefined;
    if (!session || session.handle !== handle || sessionTtl(session) <= 0) {
      if (session) await ctx.sessions.delete(session.id);
      return problem(reply, 401, 'no-session', 'No active session. Launch the app from the EHR.');
    }
    request.smartSession = session;
    await saveSession(ctx, session);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const csrf = csrfProblem(request, session, settings);
      if (csrf) return problem(reply, 403, 'csrf', csrf);
    }
    const pagePatient = request.headers[PAGE_PATIENT_HEADER];
    if (typeof pagePatient === 'string' && pagePatient !== session.patientId) {
      return problem(
        reply,
        409,
        'patient-mismatch',
        'This page was opened for another patient than this session. Nothing was done: relaunch the app from the EHR.',
      );
    }
  });

  const sessionOf = (request: FastifyRequest) => request.smartSession as SmartSession;
  const keyOf = (s: SmartSession) => pendingKey(s);
  app.post('/logout', async (request, reply) => {
    const session = sessionOf(request);
    await ctx.sessions.delete(session.id);
    clearCookie(reply, settings, sessionCookieName(session.handle));
    // Unsent decisions are kept in their own store: the nurse sees them on the next launch.
    return { signedOut: true };
  });

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
      pendingDecision: pendingView(await ctx.pending.get(keyOf(session))),
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
    await saveSession(ctx, session);
    return assessmentView(result, data.missing, runtime.advisor.describe());
  });

  registerDecisionRoutes(app, ctx);

  app.get('/resource/:type/:id', async (request, reply) => {
    const session = sessionOf(request);
    const params = resourceParams.safeParse(request.params);
    if (!params.success) return problem(reply, 400, 'invalid', 'Not a FHIR reference.');
    // Only the launch patient's compartment, whatever scopes the EHR granted: another Patient is
    // not even asked for, and anything else must name this patient as its subject or patient.
    const launchPatient = `Patient/${session.patientId}`;
    const outside = () =>
      problem(
        reply,
        403,
        'outside-patient',
        'Only data about the patient this app was opened for can be shown.',
      );
    if (params.data.type === 'Patient' && params.data.id !== session.patientId) return outside();
    try {
      const resource = await withFhir(ctx, session, (g) => g.read(params.data.type, params.data.id));
      if (!resource)
        return problem(reply, 404, 'not-found', `${params.data.type}/${params.data.id} was not found.`);
      if (patientOf(resource) !== launchPatient) return outside();
      return reply.type('application/fhir+json; charset=utf-8').send(JSON.stringify(resource, null, 2));
    } catch (err) {
      return fhirProblem(reply, err);
    }
  });
}
