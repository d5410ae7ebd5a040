// The SMART launch and callback as protocol units, without a server: what they refuse, with which
// kind, and what they ask the route to do. The integration tests cover the pages and cookies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeSignIn } from '../../smart-app/oauth/callback.ts';
import type { OAuthClientSettings } from '../../smart-app/oauth/client-settings.ts';
import type { SmartServerInfo } from '../../smart-app/oauth/discovery.ts';
import { SignInError } from '../../smart-app/oauth/errors.ts';
import { startLaunch } from '../../smart-app/oauth/launch.ts';
import { type LaunchState, launchCookieName } from '../../smart-app/oauth/launch-state.ts';

const EHR = 'https://ehr.example/fhir';

const settings: OAuthClientSettings = {
  redirectUri: 'https://app.example/smart/callback',
  clientId: 'citecare',
  clientAuth: { method: 'none' },
  scopes: 'launch openid fhirUser patient/*.rs',
  allowedIssuers: [EHR],
  issuerAudience: new Map([[EHR, `${EHR}/`]]),
  openServers: ['http://open.example/fhir'],
  fhirTimeoutMs: 1000,
  production: true,
  allowCallbackWithoutLaunchCookie: false,
};

const info: SmartServerInfo = {
  authorizationEndpoint: 'https://ehr.example/auth/authorize',
  tokenEndpoint: 'https://ehr.example/auth/token',
  capabilities: ['permission-v2'],
  issParameterSupported: false,
  source: 'well-known',
};

function memoryLaunches() {
  const records = new Map<string, LaunchState>();
  return {
    records,
    set: async (state: string, record: LaunchState) => void records.set(state, record),
    take: async (state: string) => {
      const record = records.get(state);
      records.delete(state);
      return record;
    },
  };
}

const quietLog = { warn: () => {} };

async function refusal(promise: Promise<unknown>): Promise<SignInError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof SignInError, `expected a SignInError, got ${String(err)}`);
  return err;
}

describe('SMART launch unit', () => {
  it('refuses an issuer off the allowlist without discovering it', async () => {
    let discovered = 0;
    const discover = async () => {
      discovered += 1;
      return info;
    };
    const deps = { settings, launches: memoryLaunches(), discover, log: quietLog };
    const err = await refusal(startLaunch({ iss: 'https://evil.example/fhir', launch: 'x' }, deps));
    assert.equal(err.kind, 'issuer-not-allowed');
    assert.equal(discovered, 0);
  });

  it('sends the browser to authorize with PKCE, the exact audience and a stored single-use state', async () => {
    const launches = memoryLaunches();
    const next = await startLaunch(
      { iss: `${EHR}/`, launch: 'ctx-1' },
      { settings, launches, discover: async () => info, log: quietLog },
    );
    assert.equal(next.kind, 'authorize');
    if (next.kind !== 'authorize') return;
    const url = new URL(next.authorizeUrl);
    const state = url.searchParams.get('state') ?? '';
    assert.equal(url.searchParams.get('aud'), `${EHR}/`);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('launch'), 'ctx-1');
    assert.equal(next.cookie.name, launchCookieName(state));
    assert.equal(launches.records.get(state)?.browserBinding, next.cookie.value);
  });

  it('names the patient directly on an open development server', async () => {
    const deps = { settings, launches: memoryLaunches(), discover: async () => info, log: quietLog };
    const next = await startLaunch({ iss: 'http://open.example/fhir', patient: 'p1' }, deps);
    assert.deepEqual(next, { kind: 'open', iss: 'http://open.example/fhir', patientId: 'p1' });
    const err = await refusal(startLaunch({ iss: 'http://open.example/fhir' }, deps));
    assert.equal(err.kind, 'patient-needed');
  });
});

describe('SMART callback unit', () => {
  const record: LaunchState = {
    iss: EHR,
    launchType: 'ehr',
    codeVerifier: 'verifier',
    redirectUri: settings.redirectUri,
    tokenEndpoint: info.tokenEndpoint,
    scope: 'launch',
    browserBinding: 'binding-1',
    createdAt: Date.now(),
  };

  it('refuses a callback from another browser and uses the state up', async () => {
    const launches = memoryLaunches();
    launches.records.set('s1', record);
    const cleared: string[] = [];
    const request = {
      query: { state: 's1', code: 'c' },
      cookies: {},
      clearCookie: (n: string) => cleared.push(n),
    };
    const err = await refusal(completeSignIn(request, { settings, launches, log: quietLog }));
    assert.equal(err.kind, 'unbound-browser');
    assert.deepEqual(cleared, [launchCookieName('s1')]);
    const again = await refusal(completeSignIn(request, { settings, launches, log: quietLog }));
    assert.equal(again.kind, 'unknown-state');
  });

  it('passes on the EHR’s own refusal', async () => {
    const launches = memoryLaunches();
    launches.records.set('s2', record);
    const cookies = { [launchCookieName('s2')]: 'binding-1' };
    const request = { query: { state: 's2', error: 'access_denied' }, cookies, clearCookie: () => {} };
    const err = await refusal(completeSignIn(request, { settings, launches, log: quietLog }));
    assert.equal(err.kind, 'ehr-refused');
    assert.match(err.message, /access_denied/);
  });
});
