// /smart/api/decision and /decision/retry: a nurse's decision goes into the unsent-decision store
// (keyed by server, patient and nurse) first, then to the FHIR server and the audit trail.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fhirProblem, pendingView, problem } from './api-problems.ts';
import { sessionOf } from './api-session.ts';
import type { AcuityLevel } from './codes.ts';
import type { SmartAppContext } from './context.ts';
import { DecisionError, sendDecision } from './decision.ts';
import {
  PENDING_TTL_MS,
  type PendingDecision,
  pendingKey,
  type ShownAssessment,
  type SmartSession,
} from './session.ts';

const decisionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), assessmentId: z.string().min(1).max(200) }),
  z.object({
    action: z.literal('override'),
    assessmentId: z.string().min(1).max(200),
    level: z.coerce.number().int().min(1).max(5),
    reason: z.string().trim().max(1000).optional(),
  }),
]);

type DecisionBody = z.infer<typeof decisionBody>;

interface DecisionRoutes {
  ctx: SmartAppContext;
  /** Keys with a delivery under way in this process: one at a time (double clicks, two tabs). */
  delivering: Set<string>;
}

const busy = (reply: FastifyReply) =>
  problem(reply, 409, 'decision-in-progress', 'The decision is being sent. Wait for the answer.');

async function deliver(
  { ctx, delivering }: DecisionRoutes,
  request: FastifyRequest,
  reply: FastifyReply,
  session: SmartSession,
  pending: PendingDecision,
) {
  const key = pendingKey(session);
  const persist = () => ctx.pending.set(key, pending, PENDING_TTL_MS);
  delivering.add(key);
  try {
    const observation = await sendDecision(ctx, session, pending, persist);
    await ctx.pending.delete(key);
    return reply.code(201).send({ observation, level: pending.level, action: pending.action });
  } catch (err) {
    pending.lastError = err instanceof Error ? err.message : 'unknown error';
    await persist();
    const kept = { pendingDecision: pendingView(pending) };
    if (err instanceof DecisionError) return problem(reply, err.status, err.code, err.message, kept);
    request.log.error({ err }, 'decision could not be delivered');
    return fhirProblem(reply, err, kept);
  } finally {
    delivering.delete(key);
  }
}

function pendingDecision(
  ctx: SmartAppContext,
  session: SmartSession,
  body: DecisionBody,
  shown: ShownAssessment,
): PendingDecision {
  return {
    assessment: shown,
    action: body.action,
    level: (body.action === 'override' ? body.level : shown.level) as AcuityLevel,
    reason: body.action === 'override' ? body.reason : undefined,
    decidedAt: ctx.runtime.clock.now().toISOString(),
    user: session.fhirUser,
    iss: session.iss,
    patientId: session.patientId,
    encounterId: session.encounterId,
  };
}

async function decide(routes: DecisionRoutes, request: FastifyRequest, reply: FastifyReply) {
  const { ctx, delivering } = routes;
  const session = sessionOf(request);
  const body = decisionBody.safeParse(request.body ?? {});
  if (!body.success) return problem(reply, 400, 'invalid', 'The decision is incomplete.');
  const key = pendingKey(session);
  if (delivering.has(key)) return busy(reply);
  // A second decision while one is unsent would put two conflicting Observations in the chart.
  const earlier = await ctx.pending.get(key);
  if (earlier) {
    return problem(
      reply,
      409,
      'decision-pending',
      'An earlier decision for this patient is not saved yet. Send it again before deciding anew.',
      { pendingDecision: pendingView(earlier) },
    );
  }
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
  const pending = pendingDecision(ctx, session, body.data, shown);
  await ctx.pending.set(key, pending, PENDING_TTL_MS);
  return deliver(routes, request, reply, session, pending);
}

async function retry(routes: DecisionRoutes, request: FastifyRequest, reply: FastifyReply) {
  const session = sessionOf(request);
  const key = pendingKey(session);
  if (routes.delivering.has(key)) return busy(reply);
  const pending = await routes.ctx.pending.get(key);
  if (!pending) return problem(reply, 404, 'nothing-pending', 'There is no unsent decision.');
  // The key already names the nurse; this guards against a store shared with older records.
  if (pending.user !== session.fhirUser) {
    return problem(reply, 403, 'not-your-decision', 'This unsent decision belongs to another user.');
  }
  return deliver(routes, request, reply, session, pending);
}

export function registerDecisionRoutes(app: FastifyInstance, ctx: SmartAppContext): void {
  const routes: DecisionRoutes = { ctx, delivering: new Set<string>() };
  app.post('/decision', (request, reply) => decide(routes, request, reply));
  app.post('/decision/retry', (request, reply) => retry(routes, request, reply));
}
