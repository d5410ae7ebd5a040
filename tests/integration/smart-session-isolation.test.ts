import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryExpiringStore } from '../../smart-app/expiring-store.ts';
import type { LaunchState, SmartSession } from '../../smart-app/session.ts';
import { launchCookieName } from '../../smart-app/session.ts';
import { cookieHeader, pageHeaders, sessionHeaders, signIn, startTestbed } from './smart-testbed.ts';

describe('SMART app: one session per launch', () => {
  it('leaves the tab open on patient A untouched when the same browser launches patient B', async () => {
    const tb = await startTestbed();
    try {
      const a = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=A`);
      tb.smart.context = { patient: 'pt-other' };
      const b = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=B`, { jar: a.jar });
      assert.notEqual(a.handle, b.handle);
      const ctxA = await tb.app.inject({
        method: 'GET',
        url: '/smart/api/context',
        headers: sessionHeaders(b.jar, a.handle),
      });
      assert.equal(ctxA.json().patientId, 'pt-ed-1', 'tab A still shows its own patient');
      assert.equal(b.context?.patientId, 'pt-other');
      const assessA = await tb.app.inject({
        method: 'POST',
        url: '/smart/api/assess',
        headers: pageHeaders(tb, b.jar, a.csrf, a.handle),
        payload: {},
      });
      assert.equal(assessA.statusCode, 200);
      assert.equal(tb.pipelineInputs.at(-1)?.patientId, 'pt-ed-1');
    } finally {
      await tb.close();
    }
  });

  it('refuses to act for a page drawn for another patient, and without the page handle', async () => {
    const tb = await startTestbed();
    try {
      const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=A`);
      const wrong = await tb.app.inject({
        method: 'POST',
        url: '/smart/api/assess',
        headers: { ...pageHeaders(tb, r.jar, r.csrf, r.handle), 'x-citecare-patient': 'pt-other' },
        payload: {},
      });
      assert.equal(wrong.statusCode, 409);
      assert.equal(wrong.json().error, 'patient-mismatch');
      assert.equal(tb.pipelineInputs.length, 0);
      const noHandle = await tb.app.inject({
        method: 'GET',
        url: '/smart/api/context',
        headers: { cookie: cookieHeader(r.jar) },
      });
      assert.equal(noHandle.statusCode, 401);
    } finally {
      await tb.close();
    }
  });
});

describe('SMART app: session lifetime and sign-out', () => {
  it('ends a session after 30 idle minutes, slides while used, and caps it at 12 hours', async () => {
    let now = Date.now();
    const sessions = new MemoryExpiringStore<SmartSession>({ now: () => now });
    const tb = await startTestbed({ stores: { sessions, launches: new MemoryExpiringStore<LaunchState>() } });
    try {
      const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=A`);
      const context = () =>
        tb.app.inject({ method: 'GET', url: '/smart/api/context', headers: sessionHeaders(r.jar, r.handle) });
      now += 29 * 60 * 1000;
      assert.equal((await context()).statusCode, 200);
      now += 29 * 60 * 1000;
      assert.equal((await context()).statusCode, 200, 'use extends the idle window');
      const id = r.jar.get(`citecare_smart_${r.handle}`) ?? '';
      const stored = await sessions.get(id);
      assert.ok(stored);
      stored.createdAt = Date.now() - 12 * 60 * 60 * 1000 - 1;
      assert.equal((await context()).statusCode, 401, 'the absolute cap ends it however active');

      const again = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=B`);
      now += 31 * 60 * 1000;
      const idle = await tb.app.inject({
        method: 'GET',
        url: '/smart/api/context',
        headers: sessionHeaders(again.jar, again.handle),
      });
      assert.equal(idle.statusCode, 401);
    } finally {
      await tb.close();
    }
  });

  it('signs out with POST /smart/api/logout (CSRF-protected), deleting the session', async () => {
    const tb = await startTestbed();
    try {
      const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=A`);
      const forged = await tb.app.inject({
        method: 'POST',
        url: '/smart/api/logout',
        headers: { ...sessionHeaders(r.jar, r.handle), origin: tb.baseUrl },
        payload: {},
      });
      assert.equal(forged.statusCode, 403);
      const out = await tb.app.inject({
        method: 'POST',
        url: '/smart/api/logout',
        headers: pageHeaders(tb, r.jar, r.csrf, r.handle),
        payload: {},
      });
      assert.equal(out.statusCode, 200);
      assert.match(String(out.headers['set-cookie']), new RegExp(`citecare_smart_${r.handle}=;`));
      const after = await tb.app.inject({
        method: 'GET',
        url: '/smart/api/context',
        headers: sessionHeaders(r.jar, r.handle),
      });
      assert.equal(after.statusCode, 401);
    } finally {
      await tb.close();
    }
  });
});

describe('SMART app: the callback needs the launch cookie in production', () => {
  it('refuses a callback without its launch cookie when NODE_ENV=production, and accepts one with it', async () => {
    const launches = new MemoryExpiringStore<LaunchState>();
    const tb = await startTestbed({
      env: { NODE_ENV: 'production', FHIR_SERVERS_ALLOWED: 'https://ehr.example.org/fhir' },
      stores: { launches, sessions: new MemoryExpiringStore<SmartSession>() },
    });
    try {
      const record = (binding: string): LaunchState => ({
        iss: tb.fhir.url,
        launchType: 'ehr',
        codeVerifier: 'v'.repeat(43),
        redirectUri: `${tb.baseUrl}/smart/callback`,
        tokenEndpoint: tb.smart.tokenUrl,
        scope: 'launch openid',
        browserBinding: binding,
        createdAt: Date.now(),
      });
      await launches.set('state-1', record('bind-1'), 60_000);
      const bare = await tb.app.inject({ method: 'GET', url: '/smart/callback?state=state-1&code=c' });
      assert.equal(bare.statusCode, 400);
      assert.match(bare.body, /not started in this browser/);
      assert.equal(tb.smart.stats.tokenRequests.length, 0, 'no code was exchanged');

      await launches.set('state-2', record('bind-2'), 60_000);
      const bound = await tb.app.inject({
        method: 'GET',
        url: '/smart/callback?state=state-2&code=c',
        headers: { cookie: `${launchCookieName('state-2')}=bind-2` },
      });
      // Past the cookie check: the (made-up) code reaches the token endpoint and is refused there.
      assert.equal(tb.smart.stats.tokenRequests.length, 1);
      assert.match(bound.body, /invalid_grant/);
    } finally {
      await tb.close();
    }
  });
});
