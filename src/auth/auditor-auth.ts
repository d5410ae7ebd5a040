// Who may read the audit trail: bearer JWTs from the configured auditor issuer, for the auditor
// audience, with a subject and the auditor role (a role claim; scopes are not enough). Everything
// else gets 401/403 without detail, so a CDS client's token (another issuer and audience) learns
// nothing about why it failed.
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';
import type { Config } from '../config.ts';

export type AuditorAuthConfig = Pick<
  Config,
  | 'AUDITOR_ISSUER'
  | 'AUDITOR_JWKS_FILE'
  | 'AUDITOR_JWKS_URL'
  | 'AUDITOR_AUDIENCE'
  | 'AUDITOR_ROLE'
  | 'AUDITOR_TOKEN_MAX_LIFETIME_SECONDS'
>;

export interface AuditorIdentity {
  subject: string;
  name?: string;
}

export class AuditorAuthError extends Error {
  constructor(
    public readonly statusCode: 401 | 403,
    reason: string,
  ) {
    super(reason);
    this.name = 'AuditorAuthError';
  }
}

/** Resolves the auditor behind an Authorization header, or throws AuditorAuthError. */
export type VerifyAuditor = (authorization: string | undefined) => Promise<AuditorIdentity>;

// Asymmetric algorithms only: an HMAC secret shared with the issuer could mint tokens.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

type KeySource = ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>;

/** Roles only as a JSON array: a space-separated string is how scopes look, not roles. */
function stringList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** Seconds of leeway for clocks that disagree a little, as for exp and nbf. */
const CLOCK_TOLERANCE = 30;

/**
 * A stolen auditor token should be short-lived: refuse one that was issued to live longer than
 * the maximum, or that still has longer than the maximum to run.
 */
function lifetimeProblem(payload: JWTPayload, maxSeconds: number, now: number): string | undefined {
  if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number') return 'iat and exp are required';
  if (payload.exp - payload.iat > maxSeconds) return 'token lifetime exceeds the maximum';
  if (payload.exp - now > maxSeconds + CLOCK_TOLERANCE) return 'token expiry is too far in the future';
  return undefined;
}

/**
 * True when the token holds the auditor role in `roles` or Keycloak's `realm_access.roles`. Scopes
 * do not count: a scope is what a client asked for, a role is what the identity provider granted
 * the person.
 */
function hasAuditorRole(payload: JWTPayload, role: string): boolean {
  const realm = (payload.realm_access as { roles?: unknown } | undefined)?.roles;
  return stringList(payload.roles).includes(role) || stringList(realm).includes(role);
}

export function createAuditorVerifier(
  config: AuditorAuthConfig,
  options: { jwks?: JSONWebKeySet } = {},
): VerifyAuditor {
  const issuer = config.AUDITOR_ISSUER;
  let keys: KeySource | undefined;
  if (options.jwks) keys = createLocalJWKSet(options.jwks);
  else if (config.AUDITOR_JWKS_FILE) {
    let jwks: JSONWebKeySet;
    try {
      jwks = JSON.parse(readFileSync(config.AUDITOR_JWKS_FILE, 'utf8'));
    } catch (err) {
      throw new Error(`AUDITOR_JWKS_FILE cannot be read as a JWKS: ${(err as Error).message}`);
    }
    keys = createLocalJWKSet(jwks);
  } else if (config.AUDITOR_JWKS_URL) {
    keys = createRemoteJWKSet(new URL(config.AUDITOR_JWKS_URL), { timeoutDuration: 3000 });
  }

  return async (authorization) => {
    // Without an issuer and keys nobody is an auditor: the API stays closed, never open.
    if (!issuer || !keys) throw new AuditorAuthError(401, 'auditor access is not configured');
    const m = /^Bearer\s+([A-Za-z0-9\-_.]+)$/i.exec(authorization?.trim() ?? '');
    if (!m) throw new AuditorAuthError(401, 'missing bearer token');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(m[1], keys, {
        issuer,
        audience: config.AUDITOR_AUDIENCE,
        algorithms: ALGORITHMS,
        // Every read is logged under the auditor's subject, so a token without one is refused.
        requiredClaims: ['exp', 'iat', 'sub'],
        clockTolerance: CLOCK_TOLERANCE,
      }));
    } catch {
      throw new AuditorAuthError(401, 'token rejected');
    }
    const tooLong = lifetimeProblem(
      payload,
      config.AUDITOR_TOKEN_MAX_LIFETIME_SECONDS,
      Math.floor(Date.now() / 1000),
    );
    if (tooLong) throw new AuditorAuthError(401, tooLong);
    if (!payload.sub) throw new AuditorAuthError(401, 'token has no subject');
    if (!hasAuditorRole(payload, config.AUDITOR_ROLE)) throw new AuditorAuthError(403, 'not an auditor');
    const name = payload.preferred_username ?? payload.name;
    return {
      subject: payload.sub,
      ...(typeof name === 'string' ? { name } : {}),
    };
  };
}
