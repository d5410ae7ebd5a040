// The start of a SMART launch (EHR or standalone): the issuer checked against the allowlist before
// any network call, discovery, PKCE, and the authorize request. Development servers without SMART
// (SMART_OPEN_SERVERS) skip the sign-in and name the patient directly.
import { z } from 'zod';
import { normaliseBaseUrl, type OAuthClientSettings } from './client-settings.ts';
import { type Discover, DiscoveryError, endpointProblem } from './discovery.ts';
import { AuthorizationServerError, LaunchRefusedError, type OAuthLog } from './errors.ts';
import { LAUNCH_TTL_MS, type LaunchState, type LaunchStore, launchCookieName } from './launch-state.ts';
import { pkcePair, randomToken } from './pkce.ts';
import { scopesFor } from './scopes.ts';

const launchQuery = z.object({
  iss: z.string().min(1).max(2000).optional(),
  launch: z.string().min(1).max(4000).optional(),
  patient: z
    .string()
    .regex(/^[A-Za-z0-9\-.]{1,64}$/)
    .optional(),
});

type LaunchQuery = z.infer<typeof launchQuery>;

export interface LaunchDeps {
  settings: OAuthClientSettings;
  launches: LaunchStore;
  discover: Discover;
  log: OAuthLog;
}

/** What the route does next: start an open-server session, or send the browser to authorize. */
export type LaunchOutcome =
  | { kind: 'open'; iss: string; patientId: string }
  | {
      kind: 'authorize';
      authorizeUrl: string;
      /** The launch cookie binding this browser to the launch state. */
      cookie: { name: string; value: string; maxAgeMs: number };
    };

/** Throws LaunchRefusedError or AuthorizationServerError when the launch cannot go on. */
export async function startLaunch(query: unknown, deps: LaunchDeps): Promise<LaunchOutcome> {
  const q = launchQuery.safeParse(query);
  if (!q.success) throw new LaunchRefusedError('malformed-launch', 'The launch request is malformed.');
  const { iss, open } = allowedIssuer(q.data, deps);
  if (open) {
    if (!q.data.patient) {
      throw new LaunchRefusedError(
        'patient-needed',
        'This development FHIR server has no SMART authorization: name the patient with ?patient=<id>.',
        'Example: /smart/launch?iss=<server>&patient=<id>',
      );
    }
    return { kind: 'open', iss, patientId: q.data.patient };
  }
  return authorizeRequest(iss, q.data.launch, deps);
}

function allowedIssuer(q: LaunchQuery, { settings, log }: LaunchDeps): { iss: string; open: boolean } {
  const iss = q.iss ? normaliseBaseUrl(q.iss) : settings.allowedIssuers[0];
  if (q.launch && !q.iss) {
    throw new LaunchRefusedError('issuer-missing', 'An EHR launch must name its FHIR server (iss).');
  }
  const open = iss !== undefined && settings.openServers.includes(iss);
  // Checked before any network call: an unknown iss never causes a fetch or a redirect.
  if (!iss || (!open && !settings.allowedIssuers.includes(iss))) {
    log.warn({ event: 'smart-launch-refused' }, 'launch from an issuer that is not allowed');
    throw new LaunchRefusedError(
      'issuer-not-allowed',
      'This FHIR server is not on the list of servers allowed to launch CiteCare.',
      'Ask your administrator to add it to SMART_ALLOWED_ISSUERS.',
    );
  }
  return { iss, open };
}

async function authorizeRequest(
  iss: string,
  launch: string | undefined,
  { settings, launches, discover, log }: LaunchDeps,
): Promise<LaunchOutcome> {
  const clientId = settings.clientId;
  if (!clientId) {
    throw new LaunchRefusedError(
      'client-not-registered',
      'No SMART client id is configured, so CiteCare cannot sign in to this FHIR server.',
      'Set SMART_CLIENT_ID to the client id the EHR issued.',
    );
  }
  const info = await discover(iss, settings.fhirTimeoutMs).catch((err: unknown) => {
    if (!(err instanceof DiscoveryError)) throw err;
    throw new AuthorizationServerError('discovery-failed', err.message, { cause: err });
  });
  const endpoints = endpointProblem(iss, info, settings.production);
  if (endpoints) {
    log.warn({ event: 'smart-discovery-refused' }, endpoints);
    throw new AuthorizationServerError('endpoints-refused', endpoints);
  }
  const launchType = launch ? 'ehr' : 'standalone';
  const { verifier, challenge } = pkcePair();
  const state = randomToken();
  const nonce = randomToken();
  const scope = scopesFor(settings.scopes, info, launchType);
  const record: LaunchState = {
    iss,
    launchType,
    codeVerifier: verifier,
    redirectUri: settings.redirectUri,
    tokenEndpoint: info.tokenEndpoint,
    scope,
    browserBinding: randomToken(),
    nonce,
    authIssuer: info.issuer,
    requireIssParam: info.issParameterSupported,
    jwksUri: info.jwksUri,
    createdAt: Date.now(),
  };
  await launches.set(state, record, LAUNCH_TTL_MS);

  const authorize = new URL(info.authorizationEndpoint);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: settings.redirectUri,
    scope,
    state,
    // Exactly the allowlist entry: some servers compare aud byte for byte with their base URL.
    aud: settings.issuerAudience.get(iss) ?? iss,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  if (launch) params.launch = launch;
  for (const [k, v] of Object.entries(params)) authorize.searchParams.set(k, v);
  return {
    kind: 'authorize',
    authorizeUrl: authorize.toString(),
    cookie: { name: launchCookieName(state), value: record.browserBinding, maxAgeMs: LAUNCH_TTL_MS },
  };
}
