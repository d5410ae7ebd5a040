// /smart/launch and /smart/callback: EHR and standalone launch, discovery, PKCE, code exchange,
// and the open-server development shortcut.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SmartAppContext } from './context.ts';
import { errorPage } from './error-page.ts';
import { DiscoveryError, discoverSmartServer } from './oauth/discovery.ts';
import { pkcePair, randomToken } from './oauth/pkce.ts';
import { scopesFor } from './oauth/scopes.ts';
import { exchangeCode, TokenError } from './oauth/token-client.ts';
import {
  clearCookie,
  cookieOptions,
  LAUNCH_COOKIE,
  LAUNCH_TTL_MS,
  type LaunchState,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  type SmartSession,
} from './session.ts';
import { normaliseBaseUrl } from './settings.ts';
import { CONTENT_SECURITY_POLICY } from './static-routes.ts';

const launchQuery = z.object({
  iss: z.string().min(1).max(2000).optional(),
  launch: z.string().min(1).max(4000).optional(),
  patient: z
    .string()
    .regex(/^[A-Za-z0-9\-.]{1,64}$/)
    .optional(),
});

const callbackQuery = z.object({
  state: z.string().min(1).max(512).optional(),
  code: z.string().min(1).max(4000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

function sendError(reply: FastifyReply, status: number, title: string, message: string, hint?: string) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    .send(errorPage(title, message, hint));
}

/** A launch for the same patient on the same server inherits a decision that could not be sent yet. */
async function carryOverPending(ctx: SmartAppContext, request: FastifyRequest, next: SmartSession) {
  const oldId = request.cookies[SESSION_COOKIE];
  if (!oldId) return;
  const old = await ctx.sessions.get(oldId);
  if (old?.pendingDecision && old.iss === next.iss && old.patientId === next.patientId) {
    next.pendingDecision = old.pendingDecision;
  }
  if (old) await ctx.sessions.delete(oldId);
}

async function startSession(
  ctx: SmartAppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  session: Omit<SmartSession, 'id' | 'csrfToken' | 'createdAt'>,
) {
  const full: SmartSession = {
    ...session,
    id: randomToken(),
    csrfToken: randomToken(),
    createdAt: Date.now(),
  };
  await carryOverPending(ctx, request, full);
  await ctx.sessions.set(full.id, full, SESSION_TTL_MS);
  reply.setCookie(SESSION_COOKIE, full.id, cookieOptions(ctx.settings, SESSION_TTL_MS));
  return reply.redirect('/smart/', 303);
}

export function registerLaunchRoutes(app: FastifyInstance, ctx: SmartAppContext): void {
  const { settings } = ctx;

  app.get('/launch', async (request, reply) => {
    const q = launchQuery.safeParse(request.query);
    if (!q.success) return sendError(reply, 400, 'Launch refused', 'The launch request is malformed.');
    const launchType = q.data.launch ? 'ehr' : 'standalone';
    const iss = q.data.iss ? normaliseBaseUrl(q.data.iss) : settings.allowedIssuers[0];
    if (q.data.launch && !q.data.iss) {
      return sendError(reply, 400, 'Launch refused', 'An EHR launch must name its FHIR server (iss).');
    }
    const open = iss !== undefined && settings.openServers.includes(iss);
    // Checked before any network call: an unknown iss never causes a fetch or a redirect.
    if (!iss || (!open && !settings.allowedIssuers.includes(iss))) {
      request.log.warn({ event: 'smart-launch-refused' }, 'launch from an issuer that is not allowed');
      return sendError(
        reply,
        400,
        'Launch refused',
        'This FHIR server is not on the list of servers allowed to launch CiteCare.',
        'Ask your administrator to add it to SMART_ALLOWED_ISSUERS.',
      );
    }

    if (open) {
      if (!q.data.patient) {
        return sendError(
          reply,
          400,
          'Patient needed',
          'This development FHIR server has no SMART authorization: name the patient with ?patient=<id>.',
          'Example: /smart/launch?iss=<server>&patient=<id>',
        );
      }
      return startSession(ctx, request, reply, {
        iss,
        mode: 'open',
        patientId: q.data.patient,
        needPatientBanner: true,
      });
    }

    if (!settings.clientId) {
      return sendError(
        reply,
        400,
        'App not registered',
        'No SMART client id is configured, so CiteCare cannot sign in to this FHIR server.',
        'Set SMART_CLIENT_ID to the client id the EHR issued.',
      );
    }
    let info: Awaited<ReturnType<typeof discoverSmartServer>>;
    try {
      info = await discoverSmartServer(iss, settings.fhirTimeoutMs);
    } catch (err) {
      if (!(err instanceof DiscoveryError)) throw err;
      return sendError(reply, 502, 'Cannot reach the EHR sign-in', err.message);
    }
    const { verifier, challenge } = pkcePair();
    const state = randomToken();
    const browserBinding = randomToken();
    const scope = scopesFor(settings.scopes, info, launchType);
    const record: LaunchState = {
      iss,
      launchType,
      codeVerifier: verifier,
      redirectUri: settings.redirectUri,
      tokenEndpoint: info.tokenEndpoint,
      scope,
      browserBinding,
      createdAt: Date.now(),
    };
    await ctx.launches.set(state, record, LAUNCH_TTL_MS);
    reply.setCookie(LAUNCH_COOKIE, browserBinding, cookieOptions(settings, LAUNCH_TTL_MS));

    const authorize = new URL(info.authorizationEndpoint);
    const params: Record<string, string> = {
      response_type: 'code',
      client_id: settings.clientId,
      redirect_uri: settings.redirectUri,
      scope,
      state,
      aud: iss,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    if (q.data.launch) params.launch = q.data.launch;
    for (const [k, v] of Object.entries(params)) authorize.searchParams.set(k, v);
    return reply.redirect(authorize.toString(), 302);
  });

  app.get('/callback', async (request, reply) => {
    const q = callbackQuery.safeParse(request.query);
    if (!q.success || !q.data.state) {
      return sendError(reply, 400, 'Sign-in failed', 'The sign-in response has no valid state.');
    }
    // Single use: a replayed callback finds nothing.
    const launch = await ctx.launches.take(q.data.state);
    if (!launch) {
      return sendError(
        reply,
        400,
        'Sign-in failed',
        'This sign-in is unknown or has expired (state not recognised).',
      );
    }
    // Inside an EHR iframe the launch cookie may have been blocked: the state record alone then
    // carries the launch. When the cookie did arrive it must belong to this launch.
    const binding = request.cookies[LAUNCH_COOKIE];
    clearCookie(reply, settings, LAUNCH_COOKIE);
    if (binding && binding !== launch.browserBinding) {
      return sendError(reply, 400, 'Sign-in failed', 'This sign-in was started in another browser session.');
    }
    if (q.data.error) {
      const detail = q.data.error_description ? ` (${q.data.error_description})` : '';
      return sendError(
        reply,
        401,
        'Sign-in refused',
        `The EHR refused the sign-in: ${q.data.error}${detail}.`,
      );
    }
    if (!q.data.code) return sendError(reply, 400, 'Sign-in failed', 'The sign-in response has no code.');

    let exchanged: Awaited<ReturnType<typeof exchangeCode>>;
    try {
      exchanged = await exchangeCode(
        {
          tokenEndpoint: launch.tokenEndpoint,
          clientId: settings.clientId ?? '',
          clientAuth: settings.clientAuth,
          timeoutMs: settings.fhirTimeoutMs,
        },
        {
          code: q.data.code,
          codeVerifier: launch.codeVerifier,
          redirectUri: launch.redirectUri,
          requestedScope: launch.scope,
        },
      );
    } catch (err) {
      if (!(err instanceof TokenError)) throw err;
      request.log.warn({ event: 'smart-token-refused', oauthError: err.oauthError }, 'token exchange failed');
      return sendError(reply, err.status ? 400 : 502, 'Sign-in failed', err.message);
    }
    const { tokens, context } = exchanged;
    if (!context.patient) {
      return sendError(
        reply,
        400,
        'No patient selected',
        'The EHR did not say which patient this launch is for.',
        'Open the app from a patient chart, or pick a patient when asked.',
      );
    }
    return startSession(ctx, request, reply, {
      iss: launch.iss,
      mode: 'smart',
      tokenEndpoint: launch.tokenEndpoint,
      tokens,
      patientId: context.patient,
      encounterId: context.encounter,
      fhirUser: context.fhirUser,
      needPatientBanner: context.needPatientBanner,
    });
  });
}
