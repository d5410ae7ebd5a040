// The id_token, verified before its fhirUser is believed: signature against the issuer's JWKS,
// iss, aud = our client_id, exp and the nonce we sent. fhirUser becomes Observation.performer and
// the audit user, so an unverifiable claim is never taken.
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';

export class IdTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdTokenError';
  }
}

// jose's remote set caches the keys and refetches on an unknown kid: one per jwks_uri.
const keySets = new Map<string, JWTVerifyGetKey>();

function keySet(uri: string, timeoutMs: number): JWTVerifyGetKey {
  let set = keySets.get(uri);
  if (!set) {
    set = createRemoteJWKSet(new URL(uri), { timeoutDuration: timeoutMs });
    keySets.set(uri, set);
  }
  return set;
}

/**
 * fhirUser from a verified id_token; undefined when there is no id_token or the server publishes
 * no jwks_uri/issuer to check it against. Throws IdTokenError when the token does not verify.
 */
export async function verifiedFhirUser(
  idToken: string | undefined,
  opts: { jwksUri?: string; issuer?: string; clientId: string; nonce?: string; timeoutMs: number },
): Promise<string | undefined> {
  if (!idToken || !opts.jwksUri || !opts.issuer) return undefined;
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
  try {
    ({ payload } = await jwtVerify(idToken, keySet(opts.jwksUri, opts.timeoutMs), {
      issuer: opts.issuer,
      audience: opts.clientId,
      requiredClaims: ['exp'],
    }));
  } catch (err) {
    throw new IdTokenError(`The identity token could not be verified (${(err as Error).message}).`);
  }
  if (opts.nonce && payload.nonce !== opts.nonce) {
    throw new IdTokenError('The identity token does not belong to this sign-in (nonce mismatch).');
  }
  return typeof payload.fhirUser === 'string' ? payload.fhirUser : undefined;
}
