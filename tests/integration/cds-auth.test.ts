import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { importJWK, SignJWT } from 'jose';
import { parseCdsClients } from '../../src/auth/cds-clients.ts';
import { hookRequest } from '../fixtures/cds/patient.ts';
import { BASE, buildTestApp, type TestApp } from '../helpers/app.ts';
import { generateSigningKey, mintCdsToken, TEST_CDS_ISS } from '../helpers/cds-tokens.ts';

const SERVICE = '/cds-services/citecare-patient-view';
const NOW = Math.floor(Date.parse('2026-11-26T12:00:00Z') / 1000);

describe('CDS client authentication through the app', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  const call = (authorization?: string, url = SERVICE) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: authorization
        ? { authorization, 'content-type': 'application/json' }
        : { 'content-type': 'application/json' },
      payload: hookRequest('patient-view'),
    });

  async function assertPlain401(res: Awaited<ReturnType<typeof call>>) {
    assert.equal(res.statusCode, 401);
    const body = res.json();
    // No detail: the same generic outcome whatever went wrong.
    assert.deepEqual(body, {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'login', diagnostics: 'Unauthorized' }],
    });
  }

  it('accepts a valid token for the exact URL', async () => {
    const res = await call(`Bearer ${await mintCdsToken({ aud: `${BASE}${SERVICE}`, now: NOW })}`);
    assert.equal(res.statusCode, 200, res.body);
  });

  const cases: Array<[string, () => Promise<string | undefined>]> = [
    ['missing header', async () => undefined],
    [
      'alg none',
      async () => `Bearer ${await mintCdsToken({ aud: `${BASE}${SERVICE}`, alg: 'none', now: NOW })}`,
    ],
    [
      'HMAC',
      async () => `Bearer ${await mintCdsToken({ aud: `${BASE}${SERVICE}`, alg: 'HS256', now: NOW })}`,
    ],
    [
      'wrong aud',
      async () =>
        `Bearer ${await mintCdsToken({ aud: 'https://elsewhere.example/cds-services/x', now: NOW })}`,
    ],
    [
      "another path's aud",
      async () =>
        `Bearer ${await mintCdsToken({ aud: `${BASE}/cds-services/citecare-order-sign`, now: NOW })}`,
    ],
    [
      'expired',
      async () =>
        `Bearer ${await mintCdsToken({ aud: `${BASE}${SERVICE}`, iat: NOW - 900, exp: NOW - 600, now: NOW })}`,
    ],
    [
      'future iat',
      async () =>
        `Bearer ${await mintCdsToken({ aud: `${BASE}${SERVICE}`, iat: NOW + 600, exp: NOW + 900, now: NOW })}`,
    ],
    [
      'unknown iss',
      async () =>
        `Bearer ${await mintCdsToken({ aud: `${BASE}${SERVICE}`, iss: 'https://stranger.example', now: NOW })}`,
    ],
    [
      'unknown kid',
      async () => `Bearer ${await mintCdsToken({ aud: `${BASE}${SERVICE}`, kid: 'no-such-kid', now: NOW })}`,
    ],
    [
      'tampered payload',
      async () => `Bearer ${await mintCdsToken({ aud: `${BASE}${SERVICE}`, tamper: true, now: NOW })}`,
    ],
    [
      'a key the client never registered',
      async () =>
        `Bearer ${await mintCdsToken({ aud: `${BASE}${SERVICE}`, signingKey: await generateSigningKey('ES384', 'rogue'), now: NOW })}`,
    ],
  ];
  for (const [name, make] of cases) {
    it(`refuses ${name} with a plain 401`, async () => {
      await assertPlain401(await call(await make()));
    });
  }

  it('refuses a replayed jti', async () => {
    const token = await mintCdsToken({ aud: `${BASE}${SERVICE}`, now: NOW });
    assert.equal((await call(`Bearer ${token}`)).statusCode, 200);
    await assertPlain401(await call(`Bearer ${token}`));
  });

  it('protects discovery and feedback too', async () => {
    const d = await t.app.inject({ method: 'GET', url: '/cds-services' });
    await assertPlain401(d as never);
    const f = await t.app.inject({ method: 'POST', url: `${SERVICE}/feedback`, payload: { feedback: [] } });
    await assertPlain401(f as never);
    const ok = await t.app.inject({
      method: 'GET',
      url: '/cds-services',
      headers: { authorization: `Bearer ${await t.token('/cds-services')}` },
    });
    assert.equal(ok.statusCode, 200);
  });

  it('answers CORS preflight without a token', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: SERVICE,
      headers: {
        origin: 'https://sandbox.cds-hooks.org',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    assert.equal(res.statusCode, 204);
    assert.equal(res.headers['access-control-allow-origin'], 'https://sandbox.cds-hooks.org');
    assert.match(String(res.headers['access-control-allow-headers']), /authorization/i);
  });

  it('sends CORS headers on the service call itself', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: SERVICE,
      headers: {
        origin: 'https://sandbox.cds-hooks.org',
        authorization: `Bearer ${await t.token(SERVICE)}`,
      },
      payload: hookRequest('patient-view'),
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['access-control-allow-origin'], 'https://sandbox.cds-hooks.org');
  });
});

describe('the CDS Hooks Sandbox token shape', () => {
  const sandboxJwks = JSON.parse(
    readFileSync(new URL('../fixtures/cds-hooks-sandbox-jwks.json', import.meta.url), 'utf8'),
  );
  const sandboxPrivate = JSON.parse(
    readFileSync(new URL('../fixtures/cds-hooks-sandbox-private-jwk.json', import.meta.url), 'utf8'),
  );
  let t: TestApp;
  before(async () => {
    const clients = parseCdsClients([{ iss: 'https://sandbox.cds-hooks.org', jwks: sandboxJwks }], 'test');
    t = await buildTestApp({}, { cdsClients: clients });
  });
  after(() => t.close());

  it('is accepted when the sandbox issuer is trusted (ES384, its kid and jku)', async () => {
    const jwk = sandboxPrivate.jwk;
    const key = await importJWK(jwk, 'ES384');
    const token = await new SignJWT({})
      .setProtectedHeader({
        alg: 'ES384',
        kid: jwk.kid,
        typ: 'JWT',
        jku: 'https://sandbox.cds-hooks.org/.well-known/jwks.json',
      })
      .setIssuer('https://sandbox.cds-hooks.org')
      .setAudience(`${BASE}/cds-services`)
      .setIssuedAt(NOW)
      .setExpirationTime(NOW + 300)
      .setJti(crypto.randomUUID())
      .sign(key);
    const res = await t.app.inject({
      method: 'GET',
      url: '/cds-services',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    // A token from our own test client is not trusted here.
    const other = await mintCdsToken({ aud: `${BASE}/cds-services`, iss: TEST_CDS_ISS, now: NOW });
    assert.equal(
      (
        await t.app.inject({
          method: 'GET',
          url: '/cds-services',
          headers: { authorization: `Bearer ${other}` },
        })
      ).statusCode,
      401,
    );
  });
});
