// A test CDS client (an "EHR") with key pairs for every accepted algorithm, the clients-file JSON that
// trusts it, a token minter that can also forge the bad tokens a test needs, and a tiny JWKS server.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { base64url, exportJWK, generateKeyPair, type JSONWebKeySet, type JWK, SignJWT } from 'jose';
import { type CdsClient, parseCdsClients } from '../../src/auth/cds-clients.ts';
import type { CdsJwtAlgorithm } from '../../src/auth/cds-jwt.ts';

export const TEST_CDS_ISS = 'https://ehr.test.citecare.example/cds-client';

export const TEST_CDS_KIDS = {
  ES384: 'test-ehr-es384',
  RS384: 'test-ehr-rs384',
  ES256: 'test-ehr-es256',
  RS256: 'test-ehr-rs256',
} as const satisfies Record<CdsJwtAlgorithm, string>;

export interface SigningKey {
  alg: CdsJwtAlgorithm;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface TestCdsClient {
  iss: string;
  keys: Record<CdsJwtAlgorithm, SigningKey>;
  /** Public keys of every algorithm. */
  jwks: JSONWebKeySet;
  /** One entry of a CDS_CLIENTS_FILE that trusts this client. */
  clientEntry: { iss: string; jwks: JSONWebKeySet };
  /** The same entry as loadCdsClients returns it, for createCdsAuthenticator({ clients: [client] }). */
  client: CdsClient;
}

/** A fresh key pair whose public JWK carries kid, alg and use, as a client would publish it. */
export async function generateSigningKey(alg: CdsJwtAlgorithm, kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicJwk };
}

let testClient: Promise<TestCdsClient> | undefined;

/** The shared test client; its keys are generated once per test process. */
export function getTestCdsClient(): Promise<TestCdsClient> {
  testClient ??= (async () => {
    const algs = Object.keys(TEST_CDS_KIDS) as CdsJwtAlgorithm[];
    const generated = await Promise.all(algs.map((alg) => generateSigningKey(alg, TEST_CDS_KIDS[alg])));
    const keys = Object.fromEntries(generated.map((k) => [k.alg, k])) as Record<CdsJwtAlgorithm, SigningKey>;
    const jwks = { keys: generated.map((k) => k.publicJwk) };
    const clientEntry = { iss: TEST_CDS_ISS, jwks };
    const [client] = parseCdsClients([clientEntry], 'test CDS client');
    return { iss: TEST_CDS_ISS, keys, jwks, clientEntry, client };
  })();
  return testClient;
}

/** The JSON content of a CDS_CLIENTS_FILE trusting the test client (plus any extra entries). */
export async function testCdsClientsFileJson(extra: object[] = []): Promise<object[]> {
  return [(await getTestCdsClient()).clientEntry, ...extra];
}

/** Writes that file into `dir` and returns its path, for tests that set CDS_CLIENTS_FILE. */
export async function writeTestCdsClientsFile(dir: string, extra: object[] = []): Promise<string> {
  const file = join(dir, 'cds-clients.json');
  await writeFile(file, JSON.stringify(await testCdsClientsFileJson(extra), null, 2));
  return file;
}

export interface MintCdsTokenOptions {
  /** The exact URL the call goes to (or several). */
  aud: string | string[];
  /** 'none' and 'HS256' forge tokens a service must refuse. Default: the signing key's, else ES384. */
  alg?: CdsJwtAlgorithm | 'none' | 'HS256';
  /** null leaves the field out. Defaults: the test client's kid for alg, its iss, now, now + 300, a uuid. */
  kid?: string | null;
  iss?: string | null;
  iat?: number | null;
  exp?: number | null;
  jti?: string | null;
  typ?: string | null;
  jku?: string;
  tenant?: string;
  sub?: string;
  /** Extra claims merged into the payload. */
  claims?: Record<string, unknown>;
  /** Sign with this key instead of the test client's (an attacker, a rotated key). */
  signingKey?: SigningKey;
  /** Alter the payload after signing (extends exp by an hour), leaving the signature as it was. */
  tamper?: boolean;
  /** Seconds since the epoch used for the default iat/exp. */
  now?: number;
}

const json64 = (value: unknown) => base64url.encode(JSON.stringify(value));

export async function mintCdsToken(o: MintCdsTokenOptions): Promise<string> {
  const client = await getTestCdsClient();
  const alg = o.alg ?? o.signingKey?.alg ?? 'ES384';
  const key = o.signingKey ?? (alg === 'none' || alg === 'HS256' ? client.keys.ES384 : client.keys[alg]);
  const now = o.now ?? Math.floor(Date.now() / 1000);
  const iat = o.iat === undefined ? now : o.iat;
  const header: Record<string, unknown> = { alg };
  const set = (target: Record<string, unknown>, name: string, value: unknown) => {
    if (value !== null && value !== undefined) target[name] = value;
  };
  set(header, 'typ', o.typ === undefined ? 'JWT' : o.typ);
  set(header, 'kid', o.kid === undefined ? key.kid : o.kid);
  set(header, 'jku', o.jku);
  const payload: Record<string, unknown> = {};
  set(payload, 'iss', o.iss === undefined ? client.iss : o.iss);
  payload.aud = o.aud;
  set(payload, 'exp', o.exp === undefined ? (iat ?? now) + 300 : o.exp);
  set(payload, 'iat', iat);
  set(payload, 'jti', o.jti === undefined ? randomUUID() : o.jti);
  set(payload, 'tenant', o.tenant);
  set(payload, 'sub', o.sub);
  Object.assign(payload, o.claims);

  let token: string;
  if (alg === 'none') {
    token = `${json64(header)}.${json64(payload)}.`;
  } else {
    const signer = new SignJWT(payload).setProtectedHeader(header as { alg: string });
    token = await signer.sign(alg === 'HS256' ? new TextEncoder().encode('a-shared-secret') : key.privateKey);
  }
  if (o.tamper) {
    const [h, , s] = token.split('.');
    token = `${h}.${json64({ ...payload, exp: Number(payload.exp ?? now) + 3600 })}.${s}`;
  }
  return token;
}

export interface JwksServer {
  url: string;
  /** Requests served so far. */
  readonly hits: number;
  setJwks(jwks: JSONWebKeySet): void;
  close(): Promise<void>;
}

/** Serves a (replaceable) JWK Set on 127.0.0.1 at an ephemeral port. */
export async function startJwksServer(initial: JSONWebKeySet): Promise<JwksServer> {
  let jwks = initial;
  let hits = 0;
  const server = createServer((_req, res) => {
    hits += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get hits() {
      return hits;
    },
    setJwks(next) {
      jwks = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
