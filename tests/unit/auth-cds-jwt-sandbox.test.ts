// The CDS Hooks Sandbox is the client most people try first: its real tokens must pass, configured with
// its public JWKS inline (its jku is never fetched), and its published private key is the one used here.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { importJWK, SignJWT } from 'jose';
import { loadCdsClients } from '../../src/auth/cds-clients.ts';
import { CdsAuthError, createCdsAuthenticator } from '../../src/auth/cds-jwt.ts';
import { MemoryReplayCache } from '../../src/auth/replay-cache.ts';

const SANDBOX_ISS = 'https://sandbox.cds-hooks.org';
const SANDBOX_KID = '44823f3d-0b01-4a6c-a80e-b9d3e8a7226f';
const SANDBOX_JKU = 'https://sandbox.cds-hooks.org/.well-known/jwks.json';
const BASE = 'http://localhost:3000';
const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);

async function sandboxToken(aud: string): Promise<string> {
  const { jwk } = JSON.parse(await readFile(fixture('cds-hooks-sandbox-private-jwk.json'), 'utf8'));
  const key = await importJWK(jwk, 'ES384');
  const iat = Math.round(Date.now() / 1000);
  // The sandbox's header and claims, field for field (src/retrieve-data-helpers/jwt-generator.js).
  return new SignJWT({ iss: SANDBOX_ISS, aud, exp: iat + 300, iat, jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid: SANDBOX_KID, jku: SANDBOX_JKU })
    .sign(key);
}

describe('CDS Hooks Sandbox tokens', () => {
  it('verify against the sandbox public JWKS configured inline, without fetching its jku', async () => {
    const sandboxJwks = JSON.parse(await readFile(fixture('cds-hooks-sandbox-jwks.json'), 'utf8'));
    const dir = await mkdtemp(join(tmpdir(), 'citecare-cds-clients-'));
    const file = join(dir, 'cds-clients.json');
    await writeFile(file, JSON.stringify([{ iss: SANDBOX_ISS, jwks: sandboxJwks }]));
    const clients = await loadCdsClients(file);
    await rm(dir, { recursive: true });
    const fetched: string[] = [];
    const auth = createCdsAuthenticator({
      clients,
      publicBaseUrl: BASE,
      replayCache: new MemoryReplayCache(),
      fetchJwks: async (url) => {
        fetched.push(url);
        throw new Error('no network in tests');
      },
    });

    for (const path of [
      '/cds-services',
      '/cds-services/sepsis-triage',
      '/cds-services/sepsis-triage/feedback',
    ]) {
      const caller = await auth.verify(`Bearer ${await sandboxToken(BASE + path)}`, path);
      assert.equal(caller.iss, SANDBOX_ISS);
      assert.match(caller.jti, /^[0-9a-f-]{36}$/);
      assert.equal(caller.sub, undefined);
    }
    assert.deepEqual(fetched, []);

    // Its token for discovery is no good for a service call.
    await assert.rejects(
      auth.verify(`Bearer ${await sandboxToken(`${BASE}/cds-services`)}`, '/cds-services/sepsis-triage'),
      (e: unknown) => e instanceof CdsAuthError && /claim aud/.test(e.reason),
    );
  });
});
