// The end of a SMART sign-in: the single-use state and the browser binding checked, the response
// checked (RFC 9207 iss, error, code), the code exchanged and the id_token verified. What comes out
// is everything the session needs; the route creates the session.
import { z } from 'zod';
import type { OAuthClientSettings } from './client-settings.ts';
import { AuthorizationServerError, CallbackRefusedError, type OAuthLog } from './errors.ts';
import { IdTokenError, verifiedFhirUser } from './id-token.ts';
import {
  LAUNCH_COOKIE_PREFIX,
  type LaunchState,
  type LaunchStore,
  launchCookieName,
} from './launch-state.ts';
import { exchangeCode, TokenError, type TokenSet } from './token-client.ts';

const callbackQuery = z.object({
  state: z.string().min(1).max(512).optional(),
  code: z.string().min(1).max(4000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
  iss: z.string().max(2000).optional(),
});

export interface CallbackRequest {
  query: unknown;
  /** The request's cookies; only the launch cookies are read. */
  cookies: Record<string, string | undefined>;
  /** Removes a launch cookie from the browser: called once its launch state is used up. */
  clearCookie(name: string): void;
}

export interface CallbackDeps {
  settings: OAuthClientSettings;
  launches: LaunchStore;
  log: OAuthLog;
}

export interface SignedIn {
  iss: string;
  tokenEndpoint: string;
  tokens: TokenSet;
  patientId: string;
  encounterId?: string;
  /** From a verified id_token only. */
  fhirUser?: string;
  needPatientBanner: boolean;
}

/** Throws CallbackRefusedError or AuthorizationServerError when the sign-in cannot complete. */
export async function completeSignIn(request: CallbackRequest, deps: CallbackDeps): Promise<SignedIn> {
  const q = callbackQuery.safeParse(request.query);
  if (!q.success || !q.data.state) {
    throw new CallbackRefusedError('malformed-callback', 'The sign-in response has no valid state.');
  }
  const launch = await boundLaunch(q.data.state, request, deps);
  // RFC 9207: a server that promises `iss` on its responses must send its own.
  if (launch.requireIssParam && (!q.data.iss || q.data.iss !== launch.authIssuer)) {
    throw new CallbackRefusedError(
      'wrong-issuer',
      'The sign-in response did not come from the expected authorization server (iss).',
    );
  }
  if (q.data.error) {
    const detail = q.data.error_description ? ` (${q.data.error_description})` : '';
    throw new CallbackRefusedError('ehr-refused', `The EHR refused the sign-in: ${q.data.error}${detail}.`);
  }
  if (!q.data.code) throw new CallbackRefusedError('no-code', 'The sign-in response has no code.');
  return signIn(launch, q.data.code, deps);
}

/** The launch state for `state`, taken once, and only for the browser that started the launch. */
async function boundLaunch(
  state: string,
  request: CallbackRequest,
  { settings, launches, log }: CallbackDeps,
): Promise<LaunchState> {
  // Single use: a replayed callback finds nothing.
  const launch = await launches.take(state);
  if (!launch) {
    throw new CallbackRefusedError(
      'unknown-state',
      'This sign-in is unknown or has expired (state not recognised).',
    );
  }
  // The launch cookie (one per state) proves this browser started this launch: without it an
  // attacker could make a victim's browser finish the attacker's sign-in (login CSRF). Only
  // development and test may fall back to the state record alone (plain-http iframes).
  const cookieName = launchCookieName(state);
  const binding = request.cookies[cookieName];
  request.clearCookie(cookieName);
  if (binding === launch.browserBinding) return launch;
  // Other launches' cookies arrived but not this one's: cookies work here, so this launch was
  // started elsewhere. Only a browser that sent no launch cookie at all may be an iframe whose
  // cookies were blocked.
  const otherLaunch =
    binding !== undefined ||
    Object.keys(request.cookies).some((name) => name.startsWith(LAUNCH_COOKIE_PREFIX));
  if (otherLaunch || !settings.allowCallbackWithoutLaunchCookie) {
    log.warn({ event: 'smart-callback-unbound' }, 'callback without its launch cookie');
    throw new CallbackRefusedError(
      'unbound-browser',
      otherLaunch
        ? 'This sign-in was started in another browser session.'
        : 'This sign-in was not started in this browser (launch cookie missing). Launch the app again.',
    );
  }
  return launch;
}

async function signIn(launch: LaunchState, code: string, deps: CallbackDeps): Promise<SignedIn> {
  const { settings, log } = deps;
  const clientId = settings.clientId ?? '';
  const { tokens, context } = await exchangeCode(
    {
      tokenEndpoint: launch.tokenEndpoint,
      clientId,
      clientAuth: settings.clientAuth,
      timeoutMs: settings.fhirTimeoutMs,
    },
    {
      code,
      codeVerifier: launch.codeVerifier,
      redirectUri: launch.redirectUri,
      requestedScope: launch.scope,
    },
  ).catch((err: unknown) => {
    if (!(err instanceof TokenError)) throw err;
    log.warn({ event: 'smart-token-refused', oauthError: err.oauthError }, 'token exchange failed');
    // The server answered and refused (a status), or never gave a usable answer.
    throw err.status
      ? new CallbackRefusedError('token-refused', err.message, undefined, { cause: err })
      : new AuthorizationServerError('token-unavailable', err.message, { cause: err });
  });
  const fhirUser = await verifiedFhirUser(tokens.idToken, {
    jwksUri: launch.jwksUri,
    issuer: launch.authIssuer,
    clientId,
    nonce: launch.nonce,
    timeoutMs: settings.fhirTimeoutMs,
  }).catch((err: unknown) => {
    if (!(err instanceof IdTokenError)) throw err;
    log.warn({ event: 'smart-id-token-refused' }, err.message);
    throw new CallbackRefusedError('id-token-refused', err.message, undefined, { cause: err });
  });
  if (!context.patient) {
    throw new CallbackRefusedError(
      'no-patient',
      'The EHR did not say which patient this launch is for.',
      'Open the app from a patient chart, or pick a patient when asked.',
    );
  }
  return {
    iss: launch.iss,
    tokenEndpoint: launch.tokenEndpoint,
    tokens,
    patientId: context.patient,
    encounterId: context.encounter,
    fhirUser,
    needPatientBanner: context.needPatientBanner,
  };
}
