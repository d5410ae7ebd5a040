// A CDS client key generated on this machine, so `npm start` + `citecare demo` work out of the box
// with CDS_AUTH=required. The key lives in ./data (never shipped, never committed) and is trusted
// only outside production; a real deployment trusts its EHR through CDS_CLIENTS_FILE instead.
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, SignJWT } from 'jose';

const DEMO_CLIENT_ISS = 'urn:citecare:demo-cds-client';
const ALG = 'ES384';

export interface DemoClient {
  iss: string;
  jwks: JSONWebKeySet;
  sign(aud: string): Promise<string>;
}

export async function loadOrCreateDemoClient(dataDir: string): Promise<DemoClient> {
  const file = join(dataDir, 'demo-cds-client.json');
  let stored: { privateJwk: JWK; publicJwk: JWK };
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8'));
  } else {
    const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
    const kid = randomUUID();
    stored = {
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG },
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' },
    };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const key = await importJWK(stored.privateJwk, ALG);
  return {
    iss: DEMO_CLIENT_ISS,
    jwks: { keys: [stored.publicJwk] },
    sign: (aud) =>
      new SignJWT({})
        .setProtectedHeader({ alg: ALG, kid: stored.privateJwk.kid!, typ: 'JWT' })
        .setIssuer(DEMO_CLIENT_ISS)
        .setAudience(aud)
        .setIssuedAt()
        .setExpirationTime('5m')
        .setJti(randomUUID())
        .sign(key),
  };
}
