// Also: rate limits on the SMART API (per session), the auditor API (per token subject) and CDS
// feedback (per client), shared through Redis when REDIS_URL is set.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import Fastify from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import { createAuditorVerifier } from '../../src/auth/auditor-auth.ts';
import { parseCdsClients } from '../../src/auth/cds-clients.ts';
import { testConfig } from '../../src/config.ts';
import { auditRoutes } from '../../src/server/audit-routes.ts';
import { buildTestApp } from '../helpers/app.ts';
import { getTestCdsClient, mintCdsToken } from '../helpers/cds-tokens.ts';
import { sessionHeaders, signIn, startTestbed } from './smart-testbed.ts';

const LIMIT = { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_SECONDS: '60' };
const BASE = 'http://cds.test.citecare.example';
const FEEDBACK = '/cds-services/citecare-patient-view/feedback';
const NOW = Math.floor(Date.parse('2026-11-26T12:00:00Z') / 1000);
const EHR_A = 'https://ehr-a.test.citecare.example/cds-client';
const EHR_B = 'https://ehr-b.test.citecare.example/cds-client';

async function feedbackApps(env: Record<string, string>, instances: number) {
  const { jwks } = await getTestCdsClient();
  const clients = parseCdsClients(
    [
      { iss: EHR_A, jwks },
      { iss: EHR_B, jwks },
    ],
    'test',
  );
  return Promise.all(
    Array.from({ length: instances }, () => buildTestApp({ ...LIMIT, ...env }, { cdsClients: clients })),
  );
}

async function sendFeedback(app: Awaited<ReturnType<typeof buildTestApp>>, iss: string) {
  return app.app.inject({
    method: 'POST',
    url: FEEDBACK,
    headers: { authorization: `Bearer ${await mintCdsToken({ aud: `${BASE}${FEEDBACK}`, iss, now: NOW })}` },
    payload: { feedback: [] },
  });
}

describe('security: rate limits', () => {
  const closers: Array<() => Promise<void>> = [];
  after(async () => {
    for (const c of closers) await c();
  });

  it('limits CDS feedback per client', async () => {
    const [t] = await feedbackApps({}, 1);
    closers.push(() => t.close());
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await sendFeedback(t, EHR_A)).statusCode);
    assert.notEqual(codes[2], 429);
    assert.equal(codes[3], 429);
    assert.notEqual((await sendFeedback(t, EHR_B)).statusCode, 429, 'another client has its own budget');
  });

  it('shares the feedback budget between instances through Redis', async () => {
    const env = {
      REDIS_URL: 'redis://127.0.0.1:6379',
      RATE_LIMIT_REDIS_PREFIX: `citecare-test:${randomUUID()}:`,
    };
    const [one, two] = await feedbackApps(env, 2);
    closers.push(
      () => one.close(),
      () => two.close(),
    );
    assert.notEqual((await sendFeedback(one, EHR_A)).statusCode, 429);
    assert.notEqual((await sendFeedback(two, EHR_A)).statusCode, 429);
    assert.notEqual((await sendFeedback(one, EHR_A)).statusCode, 429);
    assert.equal((await sendFeedback(two, EHR_A)).statusCode, 429);
  });

  it('limits the auditor API per token subject', async () => {
    const ISSUER = 'https://idp.example.org/realms/staff';
    const pair = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const config = testConfig({ AUDITOR_ISSUER: ISSUER, ...LIMIT });
    const store = await openAuditStore('sqlite::memory:');
    const app = Fastify({ logger: false });
    await app.register(auditRoutes, {
      prefix: '/audit',
      store,
      verifyAuditor: createAuditorVerifier(config, { jwks: { keys: [jwk] } }),
      config,
    });
    closers.push(async () => {
      await app.close();
      await store.close();
    });
    const token = (sub: string) =>
      new SignJWT({ sub, roles: ['auditor'] })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(ISSUER)
        .setAudience('citecare-audit')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(pair.privateKey);
    const ann = `Bearer ${await token('ann')}`;
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push(
        (await app.inject({ url: '/audit/api/records', headers: { authorization: ann } })).statusCode,
      );
    assert.deepEqual(codes, [200, 200, 200, 429]);
    const bob = `Bearer ${await token('bob')}`;
    assert.equal(
      (await app.inject({ url: '/audit/api/records', headers: { authorization: bob } })).statusCode,
      200,
    );
  });

  it('limits the SMART API per session', async () => {
    const tb = await startTestbed({ env: LIMIT });
    closers.push(() => tb.close());
    const first = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=a`);
    const second = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=b`);
    const get = (s: typeof first) =>
      tb.app.inject({ method: 'GET', url: '/smart/api/context', headers: sessionHeaders(s.jar, s.handle) });
    // signIn itself read /smart/api/context once per session.
    const codes = [
      (await get(first)).statusCode,
      (await get(first)).statusCode,
      (await get(first)).statusCode,
    ];
    assert.deepEqual(codes, [200, 200, 429]);
    assert.equal((await get(second)).statusCode, 200, 'another session has its own budget');
  });
});
