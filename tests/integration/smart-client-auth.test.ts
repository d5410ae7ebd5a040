import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { CLIENT_ID, PATIENT_ID, sessionHeaders, signIn, startTestbed } from './smart-testbed.ts';

const dir = mkdtempSync(join(tmpdir(), 'citecare-smart-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function keyFiles(alg: 'RS384' | 'ES384') {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `test-${alg}`;
  const file = join(dir, `${alg}.jwks.json`);
  writeFileSync(file, JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), alg, kid }] }));
  return { file, publicJwks: { keys: [{ ...(await exportJWK(publicKey)), alg, kid, use: 'sig' }] } };
}

describe('SMART confidential clients', () => {
  it('authenticates with client_secret_basic', async () => {
    const tb = await startTestbed({
      env: { SMART_CLIENT_SECRET: 's3cret:with/odd&chars' },
      smart: { clientAuth: 'client_secret_basic', clientSecret: 's3cret:with/odd&chars' },
    });
    try {
      const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=c`);
      assert.equal(r.callback?.statusCode, 303, String(r.callback?.body));
      const req = tb.smart.stats.tokenRequests.at(-1);
      assert.match(req?.authorization ?? '', /^Basic /);
      assert.equal(req?.form.client_id, undefined, 'a confidential client does not also post client_id');
      assert.equal((r.context as { patientId: string }).patientId, PATIENT_ID);
    } finally {
      await tb.close();
    }
  });

  it('is refused by the token endpoint when the secret is wrong, and says so', async () => {
    const tb = await startTestbed({
      env: { SMART_CLIENT_SECRET: 'wrong' },
      smart: { clientAuth: 'client_secret_basic', clientSecret: 'right' },
    });
    try {
      const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=c`);
      assert.equal(r.callback?.statusCode, 400);
      assert.match(String(r.callback?.body), /invalid_client/);
    } finally {
      await tb.close();
    }
  });

  for (const alg of ['RS384', 'ES384'] as const) {
    it(`authenticates with private_key_jwt (${alg}) and a short-lived, single-use assertion`, async () => {
      const keys = await keyFiles(alg);
      const tb = await startTestbed({
        env: { SMART_PRIVATE_JWKS_FILE: keys.file },
        smart: { clientAuth: 'private_key_jwt', clientJwks: keys.publicJwks },
      });
      try {
        const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=k`);
        assert.equal(r.callback?.statusCode, 303, String(r.callback?.body));
        const form = tb.smart.stats.tokenRequests.at(-1)?.form ?? {};
        assert.equal(form.client_assertion_type, 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
        const header = decodeProtectedHeader(form.client_assertion);
        const claims = decodeJwt(form.client_assertion);
        assert.equal(header.alg, alg);
        assert.equal(header.kid, `test-${alg}`);
        assert.equal(claims.iss, CLIENT_ID);
        assert.equal(claims.sub, CLIENT_ID);
        assert.equal(claims.aud, tb.smart.tokenUrl);
        assert.ok(claims.jti);
        assert.ok((claims.exp ?? 0) - Math.floor(Date.now() / 1000) <= 300);
        // A refresh signs a fresh assertion (the double refuses a reused jti).
        tb.smart.expireAccessTokens();
        const res = await tb.app.inject({
          method: 'GET',
          url: '/smart/api/context',
          headers: sessionHeaders(r.jar, r.handle),
        });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(tb.smart.stats.refreshGrants, 1);
      } finally {
        await tb.close();
      }
    });
  }
});

describe('SMART app without OAuth (development open server)', () => {
  it('starts a session from ?iss=<open server>&patient=<id> without any OAuth round trip', async () => {
    const tb = await startTestbed({ openFhir: true });
    try {
      const url = `/smart/launch?iss=${encodeURIComponent(tb.fhir.url)}&patient=${PATIENT_ID}`;
      const res = await tb.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 303);
      const handle = new URL(String(res.headers.location), tb.baseUrl).searchParams.get('session') ?? '';
      assert.match(String(res.headers.location), /^\/smart\/\?session=[\w-]{16,}$/);
      assert.equal(tb.smart.stats.authorizeRequests.length, 0);
      const cookie = String(res.headers['set-cookie']).split(';')[0];
      const ctx = await tb.app.inject({
        method: 'GET',
        url: '/smart/api/context',
        headers: { cookie, 'x-citecare-session': handle },
      });
      assert.equal(ctx.statusCode, 200);
      assert.equal(ctx.json().mode, 'open');
      assert.equal(ctx.json().patient.name, 'Maria Lopez');
      const noPatient = await tb.app.inject({
        method: 'GET',
        url: `/smart/launch?iss=${encodeURIComponent(tb.fhir.url)}`,
      });
      assert.equal(noPatient.statusCode, 400);
      assert.match(noPatient.body, /patient=&lt;id&gt;/);
    } finally {
      await tb.close();
    }
  });

  it('needs OAuth for the same server when it is not listed as open', async () => {
    const tb = await startTestbed();
    try {
      const res = await tb.app.inject({
        method: 'GET',
        url: `/smart/launch?iss=${encodeURIComponent(tb.fhir.url)}&patient=${PATIENT_ID}`,
      });
      assert.equal(res.statusCode, 302);
      assert.ok(String(res.headers.location).startsWith(tb.smart.authorizeUrl));
    } finally {
      await tb.close();
    }
  });

  it('sets Secure, SameSite=None, Partitioned cookies when the public URL is https (EHR iframes)', async () => {
    const tb = await startTestbed({
      openFhir: true,
      env: { PUBLIC_BASE_URL: 'https://citecare.example.org' },
    });
    try {
      const res = await tb.app.inject({
        method: 'GET',
        url: `/smart/launch?iss=${encodeURIComponent(tb.fhir.url)}&patient=${PATIENT_ID}`,
      });
      const cookie = String(res.headers['set-cookie']);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /Secure/);
      assert.match(cookie, /SameSite=None/);
      assert.match(cookie, /Partitioned/);
      assert.match(cookie, /Path=\/smart/);
    } finally {
      await tb.close();
    }
  });
});
