import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CdsClient } from '../../src/auth/cds-clients.ts';
import { CdsAuthError, createCdsAuthenticator } from '../../src/auth/cds-jwt.ts';
import { MemoryReplayCache } from '../../src/auth/replay-cache.ts';
import {
  generateSigningKey,
  type JwksServer,
  mintCdsToken,
  type SigningKey,
  startJwksServer,
  TEST_CDS_ISS,
} from '../helpers/cds-tokens.ts';

const BASE = 'http://127.0.0.1:3000';
const PATH = '/cds-services';
const AUD = BASE + PATH;

function authenticator(
  clients: CdsClient[],
  extra: Partial<Parameters<typeof createCdsAuthenticator>[0]> = {},
) {
  return createCdsAuthenticator({
    clients,
    publicBaseUrl: BASE,
    replayCache: new MemoryReplayCache(),
    ...extra,
  });
}

const bearer = async (signingKey: SigningKey, jku?: string) =>
  `Bearer ${await mintCdsToken({ aud: AUD, signingKey, jku })}`;

const refused = (reason: RegExp) => (e: unknown) => e instanceof CdsAuthError && reason.test(e.reason);

describe('CDS client keys published at a URL', () => {
  let oldKey: SigningKey;
  let newKey: SigningKey;
  let server: JwksServer;
  let attackerServer: JwksServer;

  before(async () => {
    oldKey = await generateSigningKey('ES384', 'ehr-2026-01');
    newKey = await generateSigningKey('RS384', 'ehr-2026-07');
    server = await startJwksServer({ keys: [oldKey.publicJwk] });
    attackerServer = await startJwksServer({ keys: [] });
  });

  after(async () => {
    await server.close();
    await attackerServer.close();
  });

  it('accepts a token whose jku is allowlisted for the client, fetching that key set', async () => {
    server.setJwks({ keys: [oldKey.publicJwk] });
    const auth = authenticator([{ iss: TEST_CDS_ISS, allowedJku: [server.url] }]);
    const before = server.hits;
    await auth.verify(await bearer(oldKey, server.url), PATH);
    await auth.verify(await bearer(oldKey, server.url), PATH);
    assert.equal(server.hits - before, 1, 'the key set is cached');
  });

  it('refuses a jku that is not allowlisted and never fetches it', async () => {
    const attacker = await generateSigningKey('ES384', 'attacker');
    attackerServer.setJwks({ keys: [attacker.publicJwk] });
    const auth = authenticator([{ iss: TEST_CDS_ISS, allowedJku: [server.url] }]);
    await assert.rejects(
      auth.verify(await bearer(attacker, attackerServer.url), PATH),
      refused(/jku not allowlisted/),
    );
    // With keys on record the foreign jku is ignored, and the attacker's key is not among them.
    const withKeys = authenticator([{ iss: TEST_CDS_ISS, jwksUrl: server.url, allowedJku: [] }]);
    await assert.rejects(
      withKeys.verify(await bearer(attacker, attackerServer.url), PATH),
      refused(/kid not among/),
    );
    assert.equal(attackerServer.hits, 0);
  });

  it('refuses a jku that differs from the allowlisted one by a trailing slash', async () => {
    const auth = authenticator([{ iss: TEST_CDS_ISS, allowedJku: [server.url] }]);
    await assert.rejects(
      auth.verify(await bearer(oldKey, `${server.url}/`), PATH),
      refused(/jku not allowlisted/),
    );
  });

  it('follows key rotation at the jwksUrl: an unknown kid triggers one refetch', async () => {
    server.setJwks({ keys: [oldKey.publicJwk] });
    const auth = authenticator([{ iss: TEST_CDS_ISS, jwksUrl: server.url, allowedJku: [] }], {
      jwksCooldownSec: 0,
    });
    const start = server.hits;
    await auth.verify(await bearer(oldKey), PATH);
    server.setJwks({ keys: [oldKey.publicJwk, newKey.publicJwk] });
    await auth.verify(await bearer(newKey), PATH);
    await auth.verify(await bearer(oldKey), PATH);
    assert.equal(server.hits - start, 2);
  });

  it('refetches for unknown kids at most once per cooldown (no fetch storm)', async () => {
    server.setJwks({ keys: [oldKey.publicJwk] });
    let nowMs = Date.now();
    const clock = { now: () => new Date(nowMs) };
    const auth = authenticator([{ iss: TEST_CDS_ISS, jwksUrl: server.url, allowedJku: [] }], {
      clock,
      jwksCooldownSec: 30,
    });
    const start = server.hits;
    await auth.verify(await bearer(oldKey), PATH);
    server.setJwks({ keys: [oldKey.publicJwk, newKey.publicJwk] });
    // Within the cooldown the new kid is unknown and the server is not asked again, however many tokens come.
    for (let i = 0; i < 5; i++) {
      await assert.rejects(auth.verify(await bearer(newKey), PATH), refused(/kid not among/));
    }
    assert.equal(server.hits - start, 1);
    nowMs += 31_000;
    await auth.verify(await bearer(newKey, undefined), PATH);
    assert.equal(server.hits - start, 2);
  });

  it('keeps using the cached keys when the JWKS host fails, and refuses when it never answered', async () => {
    let fail = false;
    const fetchJwks = async () => {
      if (fail) throw new Error('connection refused');
      return { keys: [oldKey.publicJwk] };
    };
    const url = 'https://ehr.example/jwks.json';
    const auth = authenticator([{ iss: TEST_CDS_ISS, jwksUrl: url, allowedJku: [] }], {
      fetchJwks,
      jwksCooldownSec: 0,
      jwksMaxAgeSec: 0,
    });
    await auth.verify(await bearer(oldKey), PATH);
    fail = true;
    await auth.verify(await bearer(oldKey), PATH);
    const never = authenticator([{ iss: TEST_CDS_ISS, jwksUrl: url, allowedJku: [] }], { fetchJwks });
    await assert.rejects(never.verify(await bearer(oldKey), PATH), refused(/keys unavailable/));
  });

  it('gives up on a JWKS host that does not answer in time', async () => {
    const hang = () => new Promise<never>(() => {});
    const auth = authenticator(
      [{ iss: TEST_CDS_ISS, jwksUrl: 'https://slow.example/jwks', allowedJku: [] }],
      {
        fetchJwks: hang,
        jwksTimeoutMs: 100,
      },
    );
    const started = Date.now();
    await assert.rejects(auth.verify(await bearer(oldKey), PATH), refused(/timed out/));
    assert.ok(Date.now() - started < 2000);
  });

  it('refuses alg none and HS256 without fetching any key', async () => {
    const fetched: string[] = [];
    const auth = authenticator([{ iss: TEST_CDS_ISS, jwksUrl: 'https://ehr.example/jwks', allowedJku: [] }], {
      fetchJwks: async (url) => {
        fetched.push(url);
        return { keys: [oldKey.publicJwk] };
      },
    });
    for (const alg of ['none', 'HS256'] as const) {
      const token = await mintCdsToken({ aud: AUD, alg, kid: oldKey.kid });
      await assert.rejects(auth.verify(`Bearer ${token}`, PATH), refused(/alg .* is not allowed/));
    }
    assert.deepEqual(fetched, []);
  });

  it('ignores private and symmetric keys a published set might contain', async () => {
    const auth = authenticator([{ iss: TEST_CDS_ISS, jwksUrl: 'https://ehr.example/jwks', allowedJku: [] }], {
      fetchJwks: async () => ({ keys: [{ kty: 'oct', kid: 'ehr-2026-01', k: 'c2VjcmV0' }] }),
    });
    await assert.rejects(auth.verify(await bearer(oldKey), PATH), refused(/kid not among/));
  });
});
