// Which session a /smart/api call belongs to, checked before any route runs: the launch's own
// cookie, CSRF on state-changing calls, and the patient the page was drawn for.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem } from './api-problems.ts';
import { type SmartAppContext, saveSession } from './context.ts';
import {
  csrfProblem,
  HANDLE_PATTERN,
  PAGE_PATIENT_HEADER,
  SESSION_HANDLE_HEADER,
  type SmartSession,
  sessionCookieName,
  sessionTtl,
} from './session.ts';

declare module 'fastify' {
  interface FastifyRequest {
    smartSession?: SmartSession;
  }
}

/** The session the onRequest hook found (every API route runs after it). */
export const sessionOf = (request: FastifyRequest): SmartSession => request.smartSession as SmartSession;

/** The onRequest hook: answers 401/403/409 itself, or sets request.smartSession and extends it. */
export async function authenticateApiCall(
  ctx: SmartAppContext,
  request: FastifyRequest,
  reply: FastifyReply,
) {
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
    const csrf = csrfProblem(request, session, ctx.settings);
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
}
