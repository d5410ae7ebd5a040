// Finding 9: smaller leaks and headers. The demo FHIR server's errors go through the one error
// handler; every route carries nosniff and a CSP (pages frame-ancestors too); HSTS when served over
// https; auditor tokens have a capped lifetime and `roles` only as an array.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { createAuditorVerifier } from '../../src/auth/auditor-auth.ts';
import { testConfig } from '../../src/config.ts';
import { buildApp } from '../../src/server/app.ts';
import { standardPlugins } from '../../src/server/plugins.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

async function fullApp(env: Record<string, string> = {}) {
  const t = await buildTestApp({ DEMO_FHIR: 'on', ...env });
  const app = await buildApp(t.runtime, { plugins: standardPlugins(t.config) });
  return { t, app };
}

describe('security: the demo FHIR server’s errors go through the one error handler', () => {
  let t: TestApp;
  let app: FastifyInstance;
  before(async () => {
    ({ t, app } = await fullApp());
  });
  after(async () => {
    await app.close();
    await t.close();
  });

  it('answers a malformed URL with an OperationOutcome that does not echo the path', async () => {
    const res = await app.inject({ method: 'GET', url: '/fhir/Patient/%zz<script>' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().resourceType, 'OperationOutcome');
    assert.doesNotMatch(res.body, /FST_|script|%zz/);
  });

  it('never returns fastify’s internal error shape from the demo server', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/fhir/Observation',
      headers: { 'content-type': 'application/fhir+json' },
      payload: { resourceType: 'Observation', id: 'a\nb', status: 'final', code: { text: 'x' } },
    });
    assert.ok(res.statusCode < 500, res.body);
    assert.equal(res.json().resourceType, 'OperationOutcome');
    assert.doesNotMatch(res.body, /ERR_|statusCode|header content/);
  });
});

describe('security: headers on every route', () => {
  let t: TestApp;
  let app: FastifyInstance;
  before(async () => {
    ({ t, app } = await fullApp());
  });
  after(async () => {
    await app.close();
    await t.close();
  });

  it('/smart/launch (a page the EHR may frame) has nosniff and the SMART page CSP', async () => {
    const res = await app.inject({ method: 'GET', url: '/smart/launch' });
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
  });

  for (const url of [
    '/about/citecare-patient-view',
    '/smart/api/context',
    '/audit',
    '/audit/api/records',
    '/cds-services',
    '/healthz',
    '/fhir/metadata',
    '/no-such-route',
  ]) {
    it(`${url} has nosniff and a CSP with frame-ancestors`, async () => {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      const csp = String(res.headers['content-security-policy'] ?? '');
      assert.match(csp, /default-src/, `${url}: ${csp}`);
      assert.match(csp, /frame-ancestors/, `${url}: ${csp}`);
      assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS over http');
    });
  }

  it('/about lets no other site frame it', async () => {
    const res = await app.inject({ method: 'GET', url: '/about/citecare-patient-view' });
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
  });
});

describe('security: HSTS when served over https', () => {
  it('sends Strict-Transport-Security when PUBLIC_BASE_URL is https', async () => {
    const t = await buildTestApp({ PUBLIC_BASE_URL: 'https://cds.example.org' });
    const app = await buildApp(t.runtime, { plugins: standardPlugins(t.config) });
    try {
      for (const url of ['/healthz', '/about/citecare-patient-view', '/smart/api/context']) {
        const res = await app.inject({ method: 'GET', url });
        assert.match(String(res.headers['strict-transport-security']), /max-age=\d{7,}/, url);
      }
    } finally {
      await app.close();
      await t.close();
    }
  });
});

describe('security: auditor token lifetime and roles', () => {
  const ISSUER = 'https://idp.example.org/realms/staff';
  let key: CryptoKey;
  let verify: ReturnType<typeof createAuditorVerifier>;
  before(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    key = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    verify = createAuditorVerifier(testConfig({ AUDITOR_ISSUER: ISSUER }), { jwks: { keys: [jwk] } });
  });

  const now = () => Math.floor(Date.now() / 1000);
  const mint = (claims: JWTPayload) =>
    new SignJWT({ sub: 'ann', aud: 'citecare-audit', iss: ISSUER, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .sign(key);
  const status = (p: Promise<unknown>) =>
    p.then(
      () => 200,
      (e: { statusCode?: number }) => e.statusCode ?? 500,
    );

  it('accepts an hour-long token with roles as an array', async () => {
    assert.equal(
      await status(verify(`Bearer ${await mint({ roles: ['auditor'], iat: now(), exp: now() + 3600 })}`)),
      200,
    );
  });

  it('refuses a token valid for ten years', async () => {
    const t = now();
    assert.equal(
      await status(verify(`Bearer ${await mint({ roles: ['auditor'], iat: t, exp: t + 10 * 365 * 86400 })}`)),
      401,
    );
  });

  it('refuses a token whose exp is far off even when iat is recent-looking, or iat is missing', async () => {
    const t = now();
    assert.equal(
      await status(
        verify(`Bearer ${await mint({ roles: ['auditor'], iat: t + 86400, exp: t + 86400 + 600 })}`),
      ),
      401,
    );
    assert.equal(await status(verify(`Bearer ${await mint({ roles: ['auditor'], exp: t + 600 })}`)), 401);
  });

  it('refuses a token issued long ago with a long life left', async () => {
    const t = now();
    assert.equal(
      await status(verify(`Bearer ${await mint({ roles: ['auditor'], iat: t - 7200, exp: t + 600 })}`)),
      401,
    );
  });

  it('honours AUDITOR_TOKEN_MAX_LIFETIME_SECONDS', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k2', alg: 'ES256', use: 'sig' };
    const strict = createAuditorVerifier(
      testConfig({ AUDITOR_ISSUER: ISSUER, AUDITOR_TOKEN_MAX_LIFETIME_SECONDS: '300' }),
      { jwks: { keys: [jwk] } },
    );
    const t = now();
    const token = await new SignJWT({
      sub: 'ann',
      aud: 'citecare-audit',
      iss: ISSUER,
      roles: ['auditor'],
      iat: t,
      exp: t + 900,
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'k2' })
      .sign(pair.privateKey);
    assert.equal(await status(strict(`Bearer ${token}`)), 401);
  });

  it('accepts roles only as an array, not as a space-separated string', async () => {
    const t = now();
    assert.equal(
      await status(verify(`Bearer ${await mint({ roles: 'nurse auditor', iat: t, exp: t + 600 })}`)),
      403,
    );
    assert.equal(
      await status(
        verify(`Bearer ${await mint({ realm_access: { roles: 'auditor' }, iat: t, exp: t + 600 })}`),
      ),
      403,
    );
  });
});
