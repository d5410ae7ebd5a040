// /smart/launch and /smart/callback: EHR and standalone launch, discovery, PKCE, code exchange,
// and the open-server development shortcut.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { type SmartAppContext, saveSession } from './context.ts';
import { errorPage } from './error-page.ts';
import { DiscoveryError, endpointProblem, type SmartServerInfo } from './oauth/discovery.ts';
import { IdTokenError, verifiedFhirUser } from './oauth/id-token.ts';
import { pkcePair, randomToken } from './oauth/pkce.ts';
import { scopesFor } from './oauth/scopes.ts';
import { exchangeCode, TokenError } from './oauth/token-client.ts';
import {
  clearCookie,
  cookieOptions,
  LAUNCH_COOKIE_PREFIX,
  LAUNCH_TTL_MS,
  type LaunchState,
  launchCookieName,
  SESSION_MAX_MS,
  type SmartSession,
  sessionCookieName,
} from './session.ts';
import { normaliseBaseUrl } from './settings.ts';

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
  iss: z.string().max(2000).optional(),
});

function sendError(reply: FastifyReply, status: number, title: string, message: string, hint?: string) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .send(errorPage(title, message, hint));
}

/**
 * Every launch gets its own session and its own cookie (named by a public handle the page sends
 * back), so launching patient B leaves the tab open on patient A untouched. Unsent decisions live
 * in their own store and are not touched here.
 */
async function startSession(
  ctx: SmartAppContext,
  reply: FastifyReply,
  session: Omit<SmartSession, 'id' | 'handle' | 'csrfToken' | 'createdAt'>,
) {
  const full: SmartSession = {
    ...session,
    id: randomToken(),
    handle: randomToken().slice(0, 24),
    csrfToken: randomToken(),
    createdAt: Date.now(),
  };
  await saveSession(ctx, full);
  reply.setCookie(sessionCookieName(full.handle), full.id, cookieOptions(ctx.settings, SESSION_MAX_MS));
  return reply.redirect(`/smart/?session=${encodeURIComponent(full.handle)}`, 303);
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
      return startSession(ctx, reply, {
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
    let info: SmartServerInfo;
    try {
      info = await ctx.discover(iss, settings.fhirTimeoutMs);
    } catch (err) {
      if (!(err instanceof DiscoveryError)) throw err;
      return sendError(reply, 502, 'Cannot reach the EHR sign-in', err.message);
    }
    const endpoints = endpointProblem(iss, info, settings.production);
    if (endpoints) {
      request.log.warn({ event: 'smart-discovery-refused' }, endpoints);
      return sendError(reply, 502, 'Sign-in refused', endpoints);
    }
    const { verifier, challenge } = pkcePair();
    const state = randomToken();
    const browserBinding = randomToken();
    const nonce = randomToken();
    const scope = scopesFor(settings.scopes, info, launchType);
    const record: LaunchState = {
      iss,
      launchType,
      codeVerifier: verifier,
      redirectUri: settings.redirectUri,
      tokenEndpoint: info.tokenEndpoint,
      scope,
      browserBinding,
      nonce,
      authIssuer: info.issuer,
      requireIssParam: info.issParameterSupported,
      jwksUri: info.jwksUri,
      createdAt: Date.now(),
    };
    await ctx.launches.set(state, record, LAUNCH_TTL_MS);
    reply.setCookie(launchCookieName(state), browserBinding, cookieOptions(settings, LAUNCH_TTL_MS));

    const authorize = new URL(info.authorizationEndpoint);
    const params: Record<string, string> = {
      response_type: 'code',
      client_id: settings.clientId,
      redirect_uri: settings.redirectUri,
      scope,
      state,
      // Exactly the allowlist entry: some servers compare aud byte for byte with their base URL.
      aud: settings.issuerAudience.get(iss) ?? iss,
      nonce,
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
    // The launch cookie (one per state) proves this browser started this launch: without it an
    // attacker could make a victim's browser finish the attacker's sign-in (login CSRF). Only
    // development and test may fall back to the state record alone (plain-http iframes).
    const cookieName = launchCookieName(q.data.state);
    const binding = request.cookies[cookieName];
    clearCookie(reply, settings, cookieName);
    if (binding !== launch.browserBinding) {
      // Other launches' cookies arrived but not this one's: cookies work here, so this launch
      // was started elsewhere. Only a browser that sent no launch cookie at all may be an iframe
      // whose cookies were blocked.
      const otherLaunch =
        binding !== undefined ||
        Object.keys(request.cookies).some((name) => name.startsWith(LAUNCH_COOKIE_PREFIX));
      if (otherLaunch || !settings.allowCallbackWithoutLaunchCookie) {
        request.log.warn({ event: 'smart-callback-unbound' }, 'callback without its launch cookie');
        return sendError(
          reply,
          400,
          'Sign-in failed',
          otherLaunch
            ? 'This sign-in was started in another browser session.'
            : 'This sign-in was not started in this browser (launch cookie missing). Launch the app again.',
        );
      }
    }
    // RFC 9207: a server that promises `iss` on its responses must send its own.
    if (launch.requireIssParam && (!q.data.iss || q.data.iss !== launch.authIssuer)) {
      return sendError(
        reply,
        400,
        'Sign-in failed',
        'The sign-in response did not come from the expected authorization server (iss).',
      );
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
    let fhirUser: string | undefined;
    try {
      fhirUser = await verifiedFhirUser(tokens.idToken, {
        jwksUri: launch.jwksUri,
        issuer: launch.authIssuer,
        clientId: settings.clientId ?? '',
        nonce: launch.nonce,
        timeoutMs: settings.fhirTimeoutMs,
      });
    } catch (err) {
      if (!(err instanceof IdTokenError)) throw err;
      request.log.warn({ event: 'smart-id-token-refused' }, err.message);
      return sendError(reply, 400, 'Sign-in failed', err.message);
    }
    if (!context.patient) {
      return sendError(
        reply,
        400,
        'No patient selected',
        'The EHR did not say which patient this launch is for.',
        'Open the app from a patient chart, or pick a patient when asked.',
      );
    }
    return startSession(ctx, reply, {
      iss: launch.iss,
      mode: 'smart',
      tokenEndpoint: launch.tokenEndpoint,
      tokens,
      patientId: context.patient,
      encounterId: context.encounter,
      fhirUser,
      needPatientBanner: context.needPatientBanner,
    });
  });
}
