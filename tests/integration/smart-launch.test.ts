import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeFhirServer } from '../helpers/fake-fhir-server.ts';
import {
  CLIENT_ID,
  latestHandle,
  PATIENT_ID,
  pageHeaders,
  sessionHeaders,
  signIn,
  startTestbed,
  type Testbed,
} from './smart-testbed.ts';

describe('SMART launch (EHR and standalone)', () => {
  let tb: Testbed;
  before(async () => {
    tb = await startTestbed();
  });
  after(() => tb.close());

  it('refuses an iss that is not allowlisted with 400, without fetching or redirecting', async () => {
    // A working SMART server that simply is not on the allowlist: it must never be contacted.
    const rogue = await startFakeFhirServer({ smartConfiguration: () => tb.smart.smartConfiguration() });
    try {
      const res = await tb.app.inject({
        method: 'GET',
        url: `/smart/launch?iss=${encodeURIComponent(rogue.url)}&launch=abc`,
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.headers.location, undefined);
      assert.match(res.body, /not on the list of servers allowed/);
      assert.equal(rogue.requests.length, 0, 'the rogue server was never fetched');
      assert.equal(tb.smart.stats.authorizeRequests.length, 0);
    } finally {
      await rogue.close();
    }
  });

  it('sends an EHR launch to the authorization server with PKCE S256, an unpredictable state, aud and launch', async () => {
    const q = `?iss=${encodeURIComponent(tb.fhir.url)}&launch=xyz123`;
    const a = await tb.app.inject({ method: 'GET', url: `/smart/launch${q}` });
    const b = await tb.app.inject({ method: 'GET', url: `/smart/launch${q}` });
    assert.equal(a.statusCode, 302);
    const url = new URL(String(a.headers.location));
    const other = new URL(String(b.headers.location));
    assert.equal(`${url.origin}${url.pathname}`, tb.smart.authorizeUrl);
    const p = url.searchParams;
    assert.equal(p.get('response_type'), 'code');
    assert.equal(p.get('client_id'), CLIENT_ID);
    assert.equal(p.get('redirect_uri'), `${tb.baseUrl}/smart/callback`);
    assert.equal(p.get('aud'), tb.fhir.url);
    assert.equal(p.get('launch'), 'xyz123');
    assert.equal(p.get('code_challenge_method'), 'S256');
    assert.match(p.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(p.get('state') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(p.get('state'), other.searchParams.get('state'));
    assert.notEqual(p.get('code_challenge'), other.searchParams.get('code_challenge'));
    assert.deepEqual(
      (p.get('scope') ?? '').split(' ').sort(),
      ['fhirUser', 'launch', 'offline_access', 'openid', 'patient/*.rs', 'patient/Observation.c'].sort(),
    );
  });

  it('completes the EHR launch: session cookie (HttpOnly, Lax over http), patient context, no token in the browser', async () => {
    const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=xyz123`);
    assert.equal(r.callback?.statusCode, 303);
    assert.equal(r.callback?.headers.location, `/smart/?session=${r.handle}`);
    const setCookie = String(r.callback?.headers['set-cookie']);
    assert.match(setCookie, new RegExp(`citecare_smart_${r.handle}=[^;]+;.*HttpOnly`));
    assert.match(setCookie, /SameSite=Lax/);
    assert.doesNotMatch(setCookie, /Secure/);
    const ctx = r.context as Record<string, unknown>;
    assert.equal(ctx.patientId, PATIENT_ID);
    assert.equal((ctx.patient as { name: string }).name, 'Maria Lopez');
    assert.equal((ctx.patient as { sex: string }).sex, 'female');
    const tokenRequest = tb.smart.stats.tokenRequests.at(-1);
    assert.equal(tokenRequest?.form.client_id, CLIENT_ID, 'public client sends its client_id');
    assert.ok(tokenRequest?.form.code_verifier);
    // No access or refresh token anywhere the browser can see.
    const seen =
      JSON.stringify(ctx) + String(r.callback?.body) + setCookie + String(r.callback?.headers.location);
    assert.ok(tb.smart.stats.issued.length >= 2, 'an access and a refresh token were issued');
    for (const t of tb.smart.stats.issued) assert.ok(!seen.includes(t), 'a token reached the browser');
  });

  it('in development and test only, completes the callback from the state record alone when no launch cookie came back (iframe)', async () => {
    const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=xyz123`, {
      dropLaunchCookie: true,
    });
    assert.equal(r.callback?.statusCode, 303);
    assert.ok(r.jar.get(`citecare_smart_${r.handle}`));
  });

  it('rejects a callback with a wrong or replayed state', async () => {
    const wrong = await tb.app.inject({ method: 'GET', url: '/smart/callback?code=abc&state=not-a-state' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /unknown or has expired/);
    assert.equal(wrong.headers['set-cookie'], undefined);

    const launch = await tb.app.inject({
      method: 'GET',
      url: `/smart/launch?iss=${encodeURIComponent(tb.fhir.url)}&launch=l`,
    });
    const authorize = await fetch(String(launch.headers.location), { redirect: 'manual' });
    const back = new URL(String(authorize.headers.get('location')));
    const first = await tb.app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    assert.equal(first.statusCode, 303);
    const replay = await tb.app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    assert.equal(replay.statusCode, 400);
  });

  it('refuses a callback whose launch cookie belongs to another launch', async () => {
    const a = await tb.app.inject({
      method: 'GET',
      url: `/smart/launch?iss=${encodeURIComponent(tb.fhir.url)}&launch=l`,
    });
    const b = await tb.app.inject({
      method: 'GET',
      url: `/smart/launch?iss=${encodeURIComponent(tb.fhir.url)}&launch=l`,
    });
    const cookieOfB = String(b.headers['set-cookie']).split(';')[0];
    const authorize = await fetch(String(a.headers.location), { redirect: 'manual' });
    const back = new URL(String(authorize.headers.get('location')));
    const res = await tb.app.inject({
      method: 'GET',
      url: `${back.pathname}${back.search}`,
      headers: { cookie: cookieOfB },
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /another browser session/);
  });

  it('shows the token endpoint refusing a wrong PKCE verifier', async () => {
    tb.smart.corruptNextChallenge = true;
    const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=xyz`);
    assert.equal(r.callback?.statusCode, 400);
    assert.match(
      String(r.callback?.body),
      /refused the request: invalid_grant \(PKCE code_verifier does not match/,
    );
    assert.equal(latestHandle(r.jar), '');
  });

  it('runs a standalone launch against the configured iss, asking for launch/patient', async () => {
    const r = await signIn(tb, '');
    const scope = r.authorizeUrl?.searchParams.get('scope') ?? '';
    assert.ok(scope.split(' ').includes('launch/patient'));
    assert.ok(!scope.split(' ').includes('launch'));
    assert.equal(r.authorizeUrl?.searchParams.get('launch'), null);
    assert.equal(r.authorizeUrl?.searchParams.get('aud'), tb.fhir.url);
    assert.equal(r.callback?.statusCode, 303);
    assert.equal((r.context as { patientId: string }).patientId, PATIENT_ID);
  });

  it('answers API calls without a session with 401', async () => {
    const res = await tb.app.inject({ method: 'GET', url: '/smart/api/context' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error, 'no-session');
  });

  it('refuses state-changing calls without the CSRF token or from another origin (403)', async () => {
    const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=x`);
    const headers = pageHeaders(tb, r.jar, r.csrf ?? '');
    const noToken = await tb.app.inject({
      method: 'POST',
      url: '/smart/api/assess',
      headers: { ...headers, 'x-csrf-token': '' },
      payload: {},
    });
    assert.equal(noToken.statusCode, 403);
    assert.equal(noToken.json().error, 'csrf');
    const otherOrigin = await tb.app.inject({
      method: 'POST',
      url: '/smart/api/assess',
      headers: { ...headers, origin: 'https://attacker.example' },
      payload: {},
    });
    assert.equal(otherOrigin.statusCode, 403);
    const decision = await tb.app.inject({
      method: 'POST',
      url: '/smart/api/decision',
      headers: { ...sessionHeaders(r.jar, r.handle), origin: tb.baseUrl, 'content-type': 'application/json' },
      payload: { action: 'accept', assessmentId: 'x' },
    });
    assert.equal(decision.statusCode, 403);
    assert.equal(tb.fhir.created.length, 0);
    const ok = await tb.app.inject({ method: 'POST', url: '/smart/api/assess', headers, payload: {} });
    assert.equal(ok.statusCode, 200);
  });
});

describe('SMART discovery and scopes', () => {
  it('falls back to the CapabilityStatement oauth-uris when there is no well-known file', async () => {
    const tb = await startTestbed({ wellKnown: false, metadataOauth: true });
    try {
      const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=q`);
      assert.equal(`${r.authorizeUrl?.origin}${r.authorizeUrl?.pathname}`, tb.smart.authorizeUrl);
      assert.ok(tb.fhir.requests.some((q) => q.url === '/fhir/.well-known/smart-configuration'));
      assert.ok(tb.fhir.requests.some((q) => q.url === '/fhir/metadata'));
      assert.equal(r.callback?.statusCode, 303);
      assert.equal((r.context as { patientId: string }).patientId, PATIENT_ID);
    } finally {
      await tb.close();
    }
  });

  it('shows the EHR refusing the authorization (error on the callback), without a session', async () => {
    const tb = await startTestbed({ env: { SMART_CLIENT_ID: 'not-registered' } });
    try {
      const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=q`);
      assert.equal(r.callback?.statusCode, 401);
      assert.match(String(r.callback?.body), /The EHR refused the sign-in: unauthorized_client/);
      assert.equal(latestHandle(r.jar), '');
      assert.equal(tb.smart.stats.tokenRequests.length, 0);
    } finally {
      await tb.close();
    }
  });

  it('requests v1 scopes when discovery shows only permission-v1', async () => {
    const tb = await startTestbed({ smart: { capabilities: ['launch-ehr', 'permission-v1'] } });
    try {
      const res = await tb.app.inject({
        method: 'GET',
        url: `/smart/launch?iss=${encodeURIComponent(tb.fhir.url)}&launch=q`,
      });
      const scope = new URL(String(res.headers.location)).searchParams.get('scope') ?? '';
      assert.ok(scope.split(' ').includes('patient/*.read'), scope);
      assert.ok(scope.split(' ').includes('patient/Observation.write'), scope);
      assert.ok(!scope.includes('.rs'));
    } finally {
      await tb.close();
    }
  });

  it('says so plainly when the server publishes no SMART endpoints', async () => {
    const tb = await startTestbed({ wellKnown: false });
    try {
      const res = await tb.app.inject({
        method: 'GET',
        url: `/smart/launch?iss=${encodeURIComponent(tb.fhir.url)}&launch=q`,
      });
      assert.equal(res.statusCode, 502);
      assert.match(res.body, /does not publish SMART endpoints/);
    } finally {
      await tb.close();
    }
  });
});
