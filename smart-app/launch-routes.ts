// /smart/launch and /smart/callback: the OAuth units (oauth/launch.ts, oauth/callback.ts) decide;
// these routes set cookies, redirect, and render a refusal as an error page with its status.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createSession, type SmartAppContext } from './context.ts';
import { errorPage } from './error-page.ts';
import { completeSignIn } from './oauth/callback.ts';
import { SignInError, type SignInFailure } from './oauth/errors.ts';
import { startLaunch } from './oauth/launch.ts';
import { SMART_PAGE_ROUTE } from './page-headers.ts';
import {
  clearCookie,
  cookieOptions,
  SESSION_MAX_MS,
  type SmartSession,
  sessionCookieName,
} from './session.ts';

/** The page a refusal shows, and its status: 502 when the EHR's sign-in server is at fault. */
const FAILURE_PAGES: Record<SignInFailure, { status: number; title: string }> = {
  'malformed-launch': { status: 400, title: 'Launch refused' },
  'issuer-missing': { status: 400, title: 'Launch refused' },
  'issuer-not-allowed': { status: 400, title: 'Launch refused' },
  'patient-needed': { status: 400, title: 'Patient needed' },
  'client-not-registered': { status: 400, title: 'App not registered' },
  'discovery-failed': { status: 502, title: 'Cannot reach the EHR sign-in' },
  'endpoints-refused': { status: 502, title: 'Sign-in refused' },
  'token-unavailable': { status: 502, title: 'Sign-in failed' },
  'malformed-callback': { status: 400, title: 'Sign-in failed' },
  'unknown-state': { status: 400, title: 'Sign-in failed' },
  'unbound-browser': { status: 400, title: 'Sign-in failed' },
  'wrong-issuer': { status: 400, title: 'Sign-in failed' },
  'ehr-refused': { status: 401, title: 'Sign-in refused' },
  'no-code': { status: 400, title: 'Sign-in failed' },
  'token-refused': { status: 400, title: 'Sign-in failed' },
  'id-token-refused': { status: 400, title: 'Sign-in failed' },
  'no-patient': { status: 400, title: 'No patient selected' },
};

function sendRefusal(reply: FastifyReply, err: unknown) {
  if (!(err instanceof SignInError)) throw err;
  const { status, title } = FAILURE_PAGES[err.kind];
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .send(errorPage(title, err.message, err.hint));
}

/** The new session's cookie, and the page opened on it. */
async function openSession(
  ctx: SmartAppContext,
  reply: FastifyReply,
  fields: Omit<SmartSession, 'id' | 'handle' | 'csrfToken' | 'createdAt'>,
) {
  const session = await createSession(ctx, fields);
  reply.setCookie(sessionCookieName(session.handle), session.id, cookieOptions(ctx.settings, SESSION_MAX_MS));
  return reply.redirect(`/smart/?session=${encodeURIComponent(session.handle)}`, 303);
}

async function launch(ctx: SmartAppContext, request: FastifyRequest, reply: FastifyReply) {
  const { settings, launches, discover } = ctx;
  const next = await startLaunch(request.query, { settings, launches, discover, log: request.log });
  if (next.kind === 'open') {
    return openSession(ctx, reply, {
      iss: next.iss,
      mode: 'open',
      patientId: next.patientId,
      needPatientBanner: true,
    });
  }
  reply.setCookie(next.cookie.name, next.cookie.value, cookieOptions(settings, next.cookie.maxAgeMs));
  return reply.redirect(next.authorizeUrl, 302);
}

async function callback(ctx: SmartAppContext, request: FastifyRequest, reply: FastifyReply) {
  const { settings, launches } = ctx;
  const signedIn = await completeSignIn(
    {
      query: request.query,
      cookies: request.cookies,
      clearCookie: (name) => clearCookie(reply, settings, name),
    },
    { settings, launches, log: request.log },
  );
  return openSession(ctx, reply, { ...signedIn, mode: 'smart' });
}

export function registerLaunchRoutes(app: FastifyInstance, ctx: SmartAppContext): void {
  app.get('/launch', SMART_PAGE_ROUTE, (request, reply) =>
    launch(ctx, request, reply).catch((err: unknown) => sendRefusal(reply, err)),
  );
  app.get('/callback', SMART_PAGE_ROUTE, (request, reply) =>
    callback(ctx, request, reply).catch((err: unknown) => sendRefusal(reply, err)),
  );
}
