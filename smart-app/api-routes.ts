// /smart/api/*: the backend-for-frontend. The browser sends its session cookie; the server holds
// the token, reads FHIR and runs the shared pipeline; decisions are in decision-routes.ts.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { FhirGatewayError } from '../src/fhir/gateway.ts';
import { gatherPatientData } from '../src/fhir/patient-data.ts';
import { patientOf } from '../src/fhir/prefetch.ts';
import type { PipelineResult } from '../src/pipeline/types.ts';
import { fhirProblem, pendingView, problem } from './api-problems.ts';
import { authenticateApiCall, sessionOf } from './api-session.ts';
import { type SmartAppContext, saveSession } from './context.ts';
import { registerDecisionRoutes } from './decision-routes.ts';
import { patientBanner } from './patient-banner.ts';
import { clearCookie, pendingKey, type SmartSession, sessionCookieName } from './session.ts';
import { SessionExpiredError, withFhir } from './session-fhir.ts';
import { assessmentView, shownAssessment } from './view-model.ts';

export { SESSION_EXPIRED_MESSAGE } from './api-problems.ts';

type Handler = (ctx: SmartAppContext, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const assessBody = z.object({ chiefComplaint: z.string().trim().max(500).optional() });

const resourceParams = z.object({
  type: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/),
  id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
});

const logout: Handler = async (ctx, request, reply) => {
  const session = sessionOf(request);
  await ctx.sessions.delete(session.id);
  clearCookie(reply, ctx.settings, sessionCookieName(session.handle));
  // Unsent decisions are kept in their own store: the nurse sees them on the next launch.
  return { signedOut: true };
};

const context: Handler = async (ctx, request, reply) => {
  const session = sessionOf(request);
  let patient: ReturnType<typeof patientBanner> = null;
  let patientError: string | null = null;
  try {
    const resource = await withFhir(ctx, session, (g) => g.read('Patient', session.patientId));
    patient = resource ? patientBanner(resource, ctx.runtime.clock.now()) : null;
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
    pendingDecision: pendingView(await ctx.pending.get(pendingKey(session))),
    advisor: ctx.runtime.advisor.describe(),
  };
};

type PatientData = Awaited<ReturnType<typeof gatherPatientData>>;

/** The launch patient's data through the session's token. */
function sessionPatientData(ctx: SmartAppContext, session: SmartSession): Promise<PatientData> {
  return withFhir(ctx, session, async (g) => {
    // Read the patient first: a refused token surfaces here (and is refreshed), instead of
    // being folded into "missing data" by the gatherer.
    const patient = await g.read('Patient', session.patientId);
    if (!patient) throw new FhirGatewayError('read Patient: not found', 'http', 404);
    return gatherPatientData(g, session.patientId, { encounterId: session.encounterId });
  });
}

function runTriage(
  ctx: SmartAppContext,
  session: SmartSession,
  data: PatientData,
  chiefComplaint: string | undefined,
): Promise<PipelineResult> {
  return ctx.runtime.pipeline({
    channel: 'smart-app',
    service: 'smart-triage',
    hook: 'smart-launch',
    hookInstance: randomUUID(),
    user: session.fhirUser,
    patientId: session.patientId,
    encounterId: session.encounterId,
    resources: data.resources,
    chiefComplaint: chiefComplaint || undefined,
    at: ctx.runtime.clock.now(),
    adviceKind: 'triage',
    missing: data.missing,
  });
}

const assess: Handler = async (ctx, request, reply) => {
  const session = sessionOf(request);
  const body = assessBody.safeParse(request.body ?? {});
  if (!body.success)
    return problem(reply, 400, 'invalid', 'The chief complaint is too long (500 characters at most).');
  let data: PatientData;
  try {
    data = await sessionPatientData(ctx, session);
  } catch (err) {
    return fhirProblem(reply, err);
  }
  let result: PipelineResult;
  try {
    result = await runTriage(ctx, session, data, body.data.chiefComplaint);
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
  return assessmentView(result, data.missing, ctx.runtime.advisor.describe());
};

const resource: Handler = async (ctx, request, reply) => {
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
  const { type, id } = params.data;
  if (type === 'Patient' && id !== session.patientId) return outside();
  try {
    const found = await withFhir(ctx, session, (g) => g.read(type, id));
    if (!found) return problem(reply, 404, 'not-found', `${type}/${id} was not found.`);
    if (patientOf(found) !== launchPatient) return outside();
    return reply.type('application/fhir+json; charset=utf-8').send(JSON.stringify(found, null, 2));
  } catch (err) {
    return fhirProblem(reply, err);
  }
};

export function registerApiRoutes(app: FastifyInstance, ctx: SmartAppContext): void {
  const route = (handler: Handler) => (request: FastifyRequest, reply: FastifyReply) =>
    handler(ctx, request, reply);
  app.addHook('onRequest', route(authenticateApiCall));
  app.post('/logout', route(logout));
  app.get('/context', route(context));
  app.post('/assess', route(assess));
  registerDecisionRoutes(app, ctx);
  app.get('/resource/:type/:id', route(resource));
}
