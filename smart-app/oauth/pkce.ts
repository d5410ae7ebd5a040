// PKCE (S256 only: SMART forbids plain) and unpredictable identifiers for state, sessions, CSRF.
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes as base64url: 256 bits, enough for state, session ids and CSRF tokens. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomToken();
  return { verifier, challenge: s256(verifier) };
}

export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');
