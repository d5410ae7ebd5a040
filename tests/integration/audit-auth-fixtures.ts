// An auditor identity provider for tests: a key pair, its JWKS and a token minter.
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { testConfig } from '../../src/config.ts';

export const AUDITOR_ISSUER = 'https://idp.hospital.example/realms/staff';

export interface TestIdp {
  jwks: { keys: JWK[] };
  config: ReturnType<typeof testConfig>;
  token(
    claims?: JWTPayload,
    /** `subject: null` leaves the `sub` claim out. */
    options?: { issuer?: string; audience?: string; expiresIn?: string; subject?: string | null },
  ): Promise<string>;
}

export async function createTestIdp(alg = 'ES256'): Promise<TestIdp> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'auditor-key-1', alg, use: 'sig' };
  const config = testConfig({ AUDITOR_ISSUER });
  return {
    jwks: { keys: [jwk] },
    config,
    token: (claims = { roles: ['auditor'] }, options = {}) => {
      const subject = options.subject === undefined ? 'auditor-ann' : options.subject;
      return new SignJWT({ ...claims, ...(subject === null ? {} : { sub: subject }) })
        .setProtectedHeader({ alg, kid: 'auditor-key-1', typ: 'JWT' })
        .setIssuer(options.issuer ?? AUDITOR_ISSUER)
        .setAudience(options.audience ?? config.AUDITOR_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(privateKey);
    },
  };
}
