import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { CdsClient } from '../../src/auth/cds-clients.ts';
import { CdsAuthError, createCdsAuthenticator, expectedAudience } from '../../src/auth/cds-jwt.ts';
import { MemoryReplayCache } from '../../src/auth/replay-cache.ts';
import {
  generateSigningKey,
  getTestCdsClient,
  type MintCdsTokenOptions,
  mintCdsToken,
  TEST_CDS_ISS,
} from '../helpers/cds-tokens.ts';

const BASE = 'https://cds.example.org';
const PATH = '/cds-services/sepsis-triage';
const AUD = BASE + PATH;

let clients: CdsClient[];

before(async () => {
  clients = [(await getTestCdsClient()).client];
});

function authenticator(extra: Partial<Parameters<typeof createCdsAuthenticator>[0]> = {}) {
  return createCdsAuthenticator({
    clients,
    publicBaseUrl: BASE,
    replayCache: new MemoryReplayCache(),
    ...extra,
  });
}

async function bearer(options: Partial<MintCdsTokenOptions> = {}): Promise<string> {
  return `Bearer ${await mintCdsToken({ aud: AUD, ...options })}`;
}

async function assertRejected(
  promise: Promise<unknown>,
  reason: RegExp,
  message = 'expected the token to be refused',
): Promise<void> {
  await assert.rejects(
    promise,
    (e: unknown) => {
      assert.ok(e instanceof CdsAuthError, `not a CdsAuthError: ${String(e)}`);
      assert.match(e.reason, reason);
      // What the HTTP layer would send: nothing that helps an attacker.
      assert.equal(e.message, 'CDS client authentication failed');
      return true;
    },
    message,
  );
}

describe('CDS client JWT: accepted tokens', () => {
  it('accepts a well-formed ES384 token and names the caller', async () => {
    const caller = await authenticator().verify(await bearer({ jti: 'call-1' }), PATH);
    assert.deepEqual(caller, { iss: TEST_CDS_ISS, jti: 'call-1' });
  });

  for (const alg of ['RS384', 'ES256', 'RS256'] as const) {
    it(`accepts ${alg}`, async () => {
      const caller = await authenticator().verify(await bearer({ alg }), PATH);
      assert.equal(caller.iss, TEST_CDS_ISS);
    });
  }

  it('accepts an aud array that contains the exact URL', async () => {
    const auth = authenticator();
    await auth.verify(await bearer({ aud: ['https://other.example/x', AUD] }), PATH);
  });

  it('ignores the query string when matching aud', async () => {
    await authenticator().verify(await bearer(), `${PATH}?debug=1`);
  });

  it('passes on tenant and sub (Epic sends sub)', async () => {
    const caller = await authenticator().verify(
      await bearer({ tenant: 'hospital-a', sub: 'epic-client' }),
      PATH,
    );
    assert.equal(caller.tenant, 'hospital-a');
    assert.equal(caller.sub, 'epic-client');
  });

  it('tolerates small clock differences on iat', async () => {
    const now = Math.floor(Date.now() / 1000);
    await authenticator().verify(await bearer({ iat: now + 30, exp: now + 300 }), PATH);
  });

  it('rejects the same token the second time (jti replay)', async () => {
    const auth = authenticator();
    const header = await bearer();
    await auth.verify(header, PATH);
    await assertRejected(auth.verify(header, PATH), /replay/);
  });
});

describe('CDS client JWT: refused tokens', () => {
  it('refuses a missing header, another scheme and garbage', async () => {
    const auth = authenticator();
    await assertRejected(auth.verify(undefined, PATH), /no Authorization/);
    await assertRejected(auth.verify('', PATH), /no Authorization/);
    const token = await mintCdsToken({ aud: AUD });
    await assertRejected(auth.verify(`Basic ${token}`, PATH), /not a Bearer/);
    await assertRejected(auth.verify(token, PATH), /not a Bearer/);
    await assertRejected(auth.verify('Bearer not-a-jwt', PATH), /not a Bearer/);
    await assertRejected(auth.verify('Bearer e30.e30.e30', PATH), /alg/);
    await assertRejected(auth.verify('Bearer !!!.###.$$$', PATH), /not a Bearer/);
    await assertRejected(auth.verify('Bearer eyJhbGciOi.eyJ.abc', PATH), /cannot be decoded/);
  });

  it('refuses alg none', async () => {
    await assertRejected(
      authenticator().verify(await bearer({ alg: 'none' }), PATH),
      /alg "none" is not allowed/,
    );
  });

  it('refuses HS256 before touching any key', async () => {
    await assertRejected(authenticator().verify(await bearer({ alg: 'HS256' }), PATH), /alg "HS256"/);
  });

  it('refuses a typ other than JWT', async () => {
    await assertRejected(authenticator().verify(await bearer({ typ: 'at+jwt' }), PATH), /typ/);
  });

  it('refuses a wrong aud, another path, a trailing slash and another host', async () => {
    const auth = authenticator();
    await assertRejected(auth.verify(await bearer({ aud: 'sand_man' }), PATH), /claim aud/);
    await assertRejected(auth.verify(await bearer({ aud: `${BASE}/cds-services` }), PATH), /claim aud/);
    await assertRejected(auth.verify(await bearer({ aud: `${AUD}/` }), PATH), /claim aud/);
    await assertRejected(
      auth.verify(await bearer({ aud: `http://cds.example.org${PATH}` }), PATH),
      /claim aud/,
    );
    // The token for the service is not valid for its feedback endpoint.
    await assertRejected(auth.verify(await bearer(), `${PATH}/feedback`), /claim aud/);
  });

  it('refuses an expired token and one without exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    const auth = authenticator();
    await assertRejected(auth.verify(await bearer({ iat: now - 600, exp: now - 300 }), PATH), /claim exp/);
    await assertRejected(auth.verify(await bearer({ exp: null }), PATH), /exp/);
  });

  it('refuses an iat in the future beyond the skew, and a missing iat', async () => {
    const now = Math.floor(Date.now() / 1000);
    const auth = authenticator();
    await assertRejected(
      auth.verify(await bearer({ iat: now + 600, exp: now + 900 }), PATH),
      /iat is in the future/,
    );
    await assertRejected(auth.verify(await bearer({ iat: null, exp: now + 300 }), PATH), /iat/);
  });

  it('refuses a token valid for longer than the maximum lifetime', async () => {
    const now = Math.floor(Date.now() / 1000);
    await assertRejected(authenticator().verify(await bearer({ exp: now + 7200 }), PATH), /lifetime/);
  });

  it('refuses a token without jti', async () => {
    await assertRejected(authenticator().verify(await bearer({ jti: null }), PATH), /jti/);
  });

  it('refuses an unknown iss and a missing iss', async () => {
    const auth = authenticator();
    await assertRejected(auth.verify(await bearer({ iss: 'https://evil.example' }), PATH), /not a trusted/);
    await assertRejected(auth.verify(await bearer({ iss: null }), PATH), /iss claim missing/);
  });

  it('refuses an unknown kid and a missing kid', async () => {
    const auth = authenticator();
    await assertRejected(auth.verify(await bearer({ kid: 'someone-elses-key' }), PATH), /kid not among/);
    await assertRejected(auth.verify(await bearer({ kid: null }), PATH), /kid header missing/);
  });

  it('refuses a token signed by another key under a trusted kid', async () => {
    const attacker = await generateSigningKey('ES384', 'test-ehr-es384');
    await assertRejected(authenticator().verify(await bearer({ signingKey: attacker }), PATH), /signature/);
  });

  it('refuses a tampered payload', async () => {
    await assertRejected(authenticator().verify(await bearer({ tamper: true }), PATH), /signature/);
  });

  it('refuses a token whose header alg does not match the key it names', async () => {
    const client = await getTestCdsClient();
    // ES256 header, but the kid is the ES384 key: no key can verify it.
    const token = await bearer({ alg: 'ES256', kid: client.keys.ES384.kid, signingKey: client.keys.ES256 });
    await assertRejected(authenticator().verify(token, PATH), /JWKS|key/);
  });

  it('does not burn the jti of a refused token', async () => {
    const auth = authenticator();
    await assertRejected(auth.verify(await bearer({ jti: 'shared', aud: 'wrong' }), PATH), /claim aud/);
    await auth.verify(await bearer({ jti: 'shared' }), PATH);
  });
});

describe('CDS client JWT: tenants and clock', () => {
  it('requires an allowlisted tenant when the client lists tenants', async () => {
    const auth = authenticator({ clients: [{ ...clients[0], tenants: ['hospital-a'] }] });
    await auth.verify(await bearer({ tenant: 'hospital-a' }), PATH);
    await assertRejected(auth.verify(await bearer({ tenant: 'hospital-b' }), PATH), /tenant/);
    await assertRejected(auth.verify(await bearer(), PATH), /tenant/);
  });

  it('judges time by the injected clock', async () => {
    const issued = Date.parse('2026-01-01T10:00:00Z') / 1000;
    const token = await bearer({ now: issued });
    const at = (iso: string) => authenticator({ clock: { now: () => new Date(iso) } });
    await at('2026-01-01T10:02:00Z').verify(token, PATH);
    await assertRejected(at('2026-01-01T10:07:00Z').verify(token, PATH), /claim exp/);
    await assertRejected(at('2026-01-01T09:55:00Z').verify(token, PATH), /iat is in the future/);
  });

  it('remembers a jti for the whole lifetime of the token', async () => {
    let nowMs = Date.parse('2026-01-01T10:00:00Z');
    const replayCache = new MemoryReplayCache({ now: () => nowMs });
    const clock = { now: () => new Date(nowMs) };
    const auth = authenticator({ replayCache, clock });
    const token = await bearer({ now: nowMs / 1000 });
    await auth.verify(token, PATH);
    nowMs += 299_000;
    await assertRejected(auth.verify(token, PATH), /replay/);
    nowMs += 70_000; // past exp + skew: the token itself is now refused as expired
    await assertRejected(auth.verify(token, PATH), /claim exp/);
  });

  it('builds aud from the base URL and path exactly', () => {
    assert.equal(
      expectedAudience('https://a.example/', '/cds-services?x=1'),
      'https://a.example/cds-services',
    );
    assert.equal(
      expectedAudience('https://a.example/base', '/cds-services/s/'),
      'https://a.example/base/cds-services/s/',
    );
  });

  it('trusts nobody when no client is configured', async () => {
    await assertRejected(authenticator({ clients: [] }).verify(await bearer(), PATH), /not a trusted/);
  });
});
