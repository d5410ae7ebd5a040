import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { AuditorAuthError, createAuditorVerifier } from '../../src/auth/auditor-auth.ts';
import { testConfig } from '../../src/config.ts';
import { AUDITOR_ISSUER, createTestIdp } from '../integration/audit-auth-fixtures.ts';

async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    assert.ok(err instanceof AuditorAuthError, String(err));
    return err.statusCode;
  }
}

describe('auditor authentication', () => {
  it('accepts the auditor role from roles or Keycloak realm_access', async () => {
    const idp = await createTestIdp();
    const verify = createAuditorVerifier(idp.config, { jwks: idp.jwks });
    const who = await verify(`Bearer ${await idp.token({ roles: ['auditor'], preferred_username: 'ann' })}`);
    assert.deepEqual(who, { subject: 'auditor-ann', name: 'ann' });
    assert.equal(
      await status(verify(`Bearer ${await idp.token({ realm_access: { roles: ['auditor'] } })}`)),
      200,
    );
  });

  it('does not take a scope for the role, and refuses a token without a subject', async () => {
    const idp = await createTestIdp();
    const verify = createAuditorVerifier(idp.config, { jwks: idp.jwks });
    assert.equal(await status(verify(`Bearer ${await idp.token({ scope: 'openid audit.read' })}`)), 403);
    assert.equal(await status(verify(`Bearer ${await idp.token({ scp: ['audit.read'] })}`)), 403);
    const anonymous = await idp.token({ roles: ['auditor'] }, { subject: null });
    assert.equal(await status(verify(`Bearer ${anonymous}`)), 401);
    const blank = await idp.token({ roles: ['auditor'] }, { subject: '' });
    assert.equal(await status(verify(`Bearer ${blank}`)), 401);
  });

  it('answers 403 to a valid token without the role', async () => {
    const idp = await createTestIdp();
    const verify = createAuditorVerifier(idp.config, { jwks: idp.jwks });
    assert.equal(
      await status(verify(`Bearer ${await idp.token({ roles: ['nurse'], scope: 'openid' })}`)),
      403,
    );
  });

  it('answers 401 to other issuers, audiences, expired, unsigned or missing tokens', async () => {
    const idp = await createTestIdp();
    const verify = createAuditorVerifier(idp.config, { jwks: idp.jwks });
    const cdsClient = await idp.token(
      { roles: ['auditor'] },
      { issuer: 'https://sandbox.cds-hooks.org', audience: 'http://localhost:3000/cds-services/x' },
    );
    assert.equal(await status(verify(`Bearer ${cdsClient}`)), 401);
    assert.equal(
      await status(verify(`Bearer ${await idp.token({ roles: ['auditor'] }, { audience: 'other' })}`)),
      401,
    );
    assert.equal(
      await status(verify(`Bearer ${await idp.token({ roles: ['auditor'] }, { expiresIn: '-5m' })}`)),
      401,
    );
    const hmac = await new SignJWT({ roles: ['auditor'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(AUDITOR_ISSUER)
      .setAudience(idp.config.AUDITOR_AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    assert.equal(await status(verify(`Bearer ${hmac}`)), 401);
    assert.equal(await status(verify(undefined)), 401);
    assert.equal(await status(verify('Basic YTpi')), 401);
    const other = await createTestIdp();
    assert.equal(await status(verify(`Bearer ${await other.token()}`)), 401, 'signed by an unknown key');
  });

  it('reads keys from AUDITOR_JWKS_FILE and stays closed when nothing is configured', async () => {
    const idp = await createTestIdp();
    const dir = mkdtempSync(join(tmpdir(), 'citecare-jwks-'));
    const file = join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify(idp.jwks));
    const fromFile = createAuditorVerifier(testConfig({ AUDITOR_ISSUER, AUDITOR_JWKS_FILE: file }));
    assert.equal(await status(fromFile(`Bearer ${await idp.token()}`)), 200);
    const closed = createAuditorVerifier(testConfig());
    assert.equal(await status(closed(`Bearer ${await idp.token()}`)), 401);
    assert.throws(
      () => createAuditorVerifier(testConfig({ AUDITOR_ISSUER, AUDITOR_JWKS_FILE: join(dir, 'nope') })),
      /AUDITOR_JWKS_FILE/,
    );
  });

  it('honours a custom AUDITOR_ROLE', async () => {
    const idp = await createTestIdp();
    const verify = createAuditorVerifier(testConfig({ AUDITOR_ISSUER, AUDITOR_ROLE: 'compliance' }), {
      jwks: idp.jwks,
    });
    assert.equal(await status(verify(`Bearer ${await idp.token({ roles: ['auditor'] })}`)), 403);
    assert.equal(await status(verify(`Bearer ${await idp.token({ roles: ['compliance'] })}`)), 200);
  });
});
