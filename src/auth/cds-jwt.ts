// Verifies the JWT a CDS client sends with every CDS Hooks call (discovery, service, feedback):
// asymmetric signature by a trusted client's key, aud = the exact URL called, fresh, never replayed.
// Framework-free: the HTTP layer maps CdsAuthError to a bare 401 and logs `reason` (never the token).
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JSONWebKeySet,
  type JWSHeaderParameters,
  type JWTPayload,
  jwtVerify,
} from 'jose';
import type { CdsClient } from './cds-clients.ts';
import { type JwksFetcher, RemoteJwksCache } from './remote-jwks.ts';
import type { ReplayCache } from './replay-cache.ts';

/** CDS Hooks recommends ES384 and RS384; `none` and HMAC are forbidden, so they are never on this list. */
const CDS_JWT_ALGORITHMS = ['ES384', 'RS384', 'ES256', 'RS256'] as const;
export type CdsJwtAlgorithm = (typeof CDS_JWT_ALGORITHMS)[number];

/** Who called, as proven by the token. Safe to log. */
export interface CdsCaller {
  iss: string;
  jti: string;
  tenant?: string;
  sub?: string;
}

/** Any authentication failure. `reason` is for logs only; the response must say nothing (plain 401). */
export class CdsAuthError extends Error {
  constructor(
    readonly reason: string,
    readonly context: { iss?: string; jti?: string } = {},
  ) {
    super('CDS client authentication failed');
    this.name = 'CdsAuthError';
  }
}

export interface CdsAuthenticatorOptions {
  clients: readonly CdsClient[];
  /** Base URL clients call, e.g. https://cds.example.org; `aud` must equal it plus the request path. */
  publicBaseUrl: string;
  replayCache: ReplayCache;
  fetchJwks?: JwksFetcher;
  /** Tolerance for clock differences on exp, nbf and iat. Default 60. */
  clockSkewSec?: number;
  /** Longest accepted exp − iat; bounds how long a jti must be remembered. Default 3600. */
  maxTokenLifetimeSec?: number;
  jwksTimeoutMs?: number;
  /** Minimum seconds between two fetches of one JWKS URL. Default 30. */
  jwksCooldownSec?: number;
  jwksMaxAgeSec?: number;
  clock?: { now(): Date };
}

export interface CdsAuthenticator {
  /** `requestPath` is the path the client called (a query string is ignored). Throws CdsAuthError. */
  verify(authorization: string | undefined, requestPath: string): Promise<CdsCaller>;
}

const ALLOWED_ALGS: ReadonlySet<string> = new Set(CDS_JWT_ALGORITHMS);
const MAX_TOKEN_CHARS = 16 * 1024;
const MAX_JTI_CHARS = 256;
const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

/** The `aud` a client must send for a call to `requestPath`: exact, no trailing-slash leniency. */
export function expectedAudience(publicBaseUrl: string, requestPath: string): string {
  if (!requestPath.startsWith('/')) throw new TypeError(`requestPath must start with "/": ${requestPath}`);
  const path = requestPath.split(/[?#]/, 1)[0];
  return publicBaseUrl.replace(/\/+$/, '') + path;
}

/**
 * The key sets a client's tokens are checked against. jose caches imported keys inside a key set
 * resolver, so one resolver is kept per key set object.
 */
class ClientKeys {
  private readonly resolvers = new WeakMap<object, ReturnType<typeof createLocalJWKSet>>();

  constructor(private readonly remote: RemoteJwksCache) {}

  resolver(jwks: JSONWebKeySet): ReturnType<typeof createLocalJWKSet> {
    let r = this.resolvers.get(jwks);
    if (!r) {
      r = createLocalJWKSet(jwks);
      this.resolvers.set(jwks, r);
    }
    return r;
  }

  /** The key set to verify against: an allowlisted jku, else the keys on record for the client. */
  async forClient(client: CdsClient, header: JWSHeaderParameters, kid: string): Promise<JSONWebKeySet> {
    const { iss } = client;
    if (header.jku !== undefined) {
      if (typeof header.jku === 'string' && client.allowedJku.includes(header.jku)) {
        return this.fetch(header.jku, kid, iss);
      }
      // A jku we have not allowlisted is never fetched; the keys on record still decide.
      if (!client.jwks && !client.jwksUrl)
        throw new CdsAuthError('jku not allowlisted for this client', { iss });
    }
    const inline = client.jwks as JSONWebKeySet | undefined;
    if (inline && (!client.jwksUrl || inline.keys.some((k) => k.kid === kid))) return inline;
    if (client.jwksUrl) return this.fetch(client.jwksUrl, kid, iss);
    throw new CdsAuthError('client has no keys on record and the token names no allowlisted jku', { iss });
  }

  private async fetch(url: string, kid: string, iss: string): Promise<JSONWebKeySet> {
    try {
      return (await this.remote.keysFor(url, kid)) as JSONWebKeySet;
    } catch (e) {
      throw new CdsAuthError(`client keys unavailable from ${url}: ${(e as Error).message}`, { iss });
    }
  }
}

/** The compact JWS in a `Bearer` Authorization header. */
function bearerToken(authorization: string | undefined): string {
  if (!authorization) throw new CdsAuthError('no Authorization header');
  if (authorization.length > MAX_TOKEN_CHARS) throw new CdsAuthError('Authorization header too long');
  const token = BEARER.exec(authorization.trim())?.[1];
  if (!token) throw new CdsAuthError('Authorization is not a Bearer JWS compact token');
  return token;
}

/** What the token says before its signature is checked: only enough to choose the keys. */
function unverifiedHeader(token: string): {
  header: JWSHeaderParameters;
  alg: CdsJwtAlgorithm;
  kid: string;
  iss: string;
} {
  let header: JWSHeaderParameters;
  let unverified: JWTPayload;
  try {
    header = decodeProtectedHeader(token) as JWSHeaderParameters;
    unverified = decodeJwt(token);
  } catch {
    throw new CdsAuthError('token cannot be decoded');
  }
  // Checked before any key is touched, so alg confusion (none, HS256 with a public key) never starts.
  if (typeof header.alg !== 'string' || !ALLOWED_ALGS.has(header.alg)) {
    throw new CdsAuthError(`alg ${JSON.stringify(header.alg)?.slice(0, 20)} is not allowed`);
  }
  if (header.typ !== undefined && normaliseTyp(header.typ) !== 'jwt') {
    throw new CdsAuthError('typ header is not JWT');
  }
  const kid = header.kid;
  if (typeof kid !== 'string' || kid.length === 0) throw new CdsAuthError('kid header missing');
  const iss = unverified.iss;
  if (typeof iss !== 'string') throw new CdsAuthError('iss claim missing');
  return { header, alg: header.alg as CdsJwtAlgorithm, kid, iss };
}

interface TimeLimits {
  skewSec: number;
  maxLifetimeSec: number;
}

/** The verified claims CiteCare relies on beyond jose's own checks: jti, iat, lifetime, tenant. */
function checkClaims(payload: JWTPayload, client: CdsClient, nowSec: number, limits: TimeLimits) {
  const iss = client.iss;
  const jti = payload.jti;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_CHARS) {
    throw new CdsAuthError('jti claim missing or malformed', { iss });
  }
  const exp = payload.exp as number;
  const iat = payload.iat as number;
  if (iat > nowSec + limits.skewSec) throw new CdsAuthError('iat is in the future', { iss, jti });
  if (exp - iat > limits.maxLifetimeSec)
    throw new CdsAuthError('token lifetime exceeds the maximum', { iss, jti });

  const tenant = typeof payload.tenant === 'string' ? payload.tenant : undefined;
  if (client.tenants && (tenant === undefined || !client.tenants.includes(tenant))) {
    throw new CdsAuthError('tenant not allowed for this client', { iss, jti });
  }
  return { jti, exp, tenant };
}

export function createCdsAuthenticator(options: CdsAuthenticatorOptions): CdsAuthenticator {
  const limits: TimeLimits = {
    skewSec: options.clockSkewSec ?? 60,
    maxLifetimeSec: options.maxTokenLifetimeSec ?? 3600,
  };
  const now = () => (options.clock ? options.clock.now().getTime() : Date.now());
  const clients = new Map(options.clients.map((c) => [c.iss, c]));
  const keys = new ClientKeys(
    new RemoteJwksCache({
      fetchJwks: options.fetchJwks,
      timeoutMs: options.jwksTimeoutMs,
      cooldownSec: options.jwksCooldownSec,
      maxAgeSec: options.jwksMaxAgeSec,
      now,
    }),
  );

  async function verifiedPayload(
    token: string,
    audience: string,
  ): Promise<{ client: CdsClient; payload: JWTPayload; nowMs: number }> {
    const { header, alg, kid, iss } = unverifiedHeader(token);
    const client = clients.get(iss);
    if (!client) throw new CdsAuthError('iss is not a trusted CDS client', { iss });
    const keySet = await keys.forClient(client, header, kid);
    if (!keySet.keys.some((k) => k.kid === kid))
      throw new CdsAuthError('kid not among the client keys', { iss });
    const nowMs = now();
    try {
      const { payload } = await jwtVerify(token, keys.resolver(keySet), {
        algorithms: [alg],
        issuer: client.iss,
        audience,
        clockTolerance: limits.skewSec,
        currentDate: new Date(nowMs),
        requiredClaims: ['exp', 'iat', 'jti'],
      });
      return { client, payload, nowMs };
    } catch (e) {
      throw new CdsAuthError(describeJoseError(e), { iss });
    }
  }

  async function verify(authorization: string | undefined, requestPath: string): Promise<CdsCaller> {
    const audience = expectedAudience(options.publicBaseUrl, requestPath);
    const { client, payload, nowMs } = await verifiedPayload(bearerToken(authorization), audience);
    const iss = client.iss;
    const nowSec = nowMs / 1000;
    const { jti, exp, tenant } = checkClaims(payload, client, nowSec, limits);
    // Recorded only after every other check passed, so a rejected token cannot burn a jti.
    const ttlSec = Math.max(1, Math.ceil(exp + limits.skewSec - nowSec));
    if (await options.replayCache.seen(JSON.stringify([iss, jti]), ttlSec)) {
      throw new CdsAuthError('jti already used (replay)', { iss, jti });
    }
    const caller: CdsCaller = { iss, jti };
    if (tenant !== undefined) caller.tenant = tenant;
    if (typeof payload.sub === 'string') caller.sub = payload.sub;
    return caller;
  }

  return { verify };
}

function normaliseTyp(typ: unknown): string {
  return typeof typ === 'string' ? typ.toLowerCase().replace(/^application\//, '') : '';
}

function describeJoseError(e: unknown): string {
  if (e instanceof errors.JWTClaimValidationFailed || e instanceof errors.JWTExpired) {
    return `claim ${e.claim} failed (${e.reason}): ${e.message}`;
  }
  if (e instanceof errors.JOSEError) return `${e.code}: ${e.message}`;
  return `verification failed: ${(e as Error).message}`;
}
