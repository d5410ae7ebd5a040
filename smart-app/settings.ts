// What the SMART app needs from the configuration, resolved once when the plugin registers
// (the private key file is read and checked then, so a bad key stops the start, not a launch).
import { readFileSync } from 'node:fs';
import { type CryptoKey, importJWK, type JWK } from 'jose';
import { z } from 'zod';
import type { Config } from '../src/config.ts';
import { type ClientAuth, normaliseBaseUrl, type OAuthClientSettings } from './oauth/client-settings.ts';

export interface SmartSettings extends OAuthClientSettings {
  publicBaseUrl: string;
  /** The origin every state-changing request must come from. */
  origin: string;
  fhirMaxPages: number;
  cookie: { secure: boolean; sameSite: 'none' | 'lax'; partitioned: boolean };
}

export class SmartSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmartSettingsError';
  }
}

const jwksSchema = z.object({
  keys: z
    .array(
      z.looseObject({
        kty: z.string(),
        alg: z.string().optional(),
        kid: z.string().optional(),
        crv: z.string().optional(),
        d: z.string().optional(),
      }),
    )
    .min(1),
});

/** Picks the first private key usable for RS384 or ES384 (the two algorithms SMART requires). */
export async function loadPrivateKey(
  path: string,
): Promise<{ key: CryptoKey; alg: 'RS384' | 'ES384'; kid?: string }> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new SmartSettingsError(
      `SMART_PRIVATE_JWKS_FILE cannot be read as JSON: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  const parsed = jwksSchema.safeParse(raw);
  if (!parsed.success)
    throw new SmartSettingsError('SMART_PRIVATE_JWKS_FILE must be a JWKS: { "keys": [ … ] }');
  for (const jwk of parsed.data.keys) {
    if (!jwk.d) continue;
    const alg =
      jwk.alg === 'RS384' || (jwk.kty === 'RSA' && !jwk.alg)
        ? 'RS384'
        : jwk.alg === 'ES384' || (jwk.kty === 'EC' && jwk.crv === 'P-384' && !jwk.alg)
          ? 'ES384'
          : undefined;
    if (!alg) continue;
    const key = await importJWK(jwk as JWK, alg);
    if (key instanceof Uint8Array) continue;
    return { key, alg, kid: jwk.kid };
  }
  throw new SmartSettingsError('SMART_PRIVATE_JWKS_FILE holds no private RS384 or ES384 key');
}

/** The configuration the settings are resolved from. */
export type SmartSettingsConfig = Pick<
  Config,
  | 'PUBLIC_BASE_URL'
  | 'NODE_ENV'
  | 'SMART_CLIENT_ID'
  | 'SMART_CLIENT_SECRET'
  | 'SMART_PRIVATE_JWKS_FILE'
  | 'SMART_SCOPES'
  | 'SMART_ALLOWED_ISSUERS'
  | 'SMART_OPEN_SERVERS'
  | 'FHIR_TIMEOUT_MS'
  | 'FHIR_MAX_PAGES'
>;

export async function smartSettings(config: SmartSettingsConfig): Promise<SmartSettings> {
  const base = normaliseBaseUrl(config.PUBLIC_BASE_URL);
  const https = base.startsWith('https://');
  const production = config.NODE_ENV === 'production';
  const secure = production || https;
  let clientAuth: ClientAuth = { method: 'none' };
  if (config.SMART_CLIENT_SECRET)
    clientAuth = { method: 'client_secret_basic', secret: config.SMART_CLIENT_SECRET };
  if (config.SMART_PRIVATE_JWKS_FILE) {
    clientAuth = { method: 'private_key_jwt', ...(await loadPrivateKey(config.SMART_PRIVATE_JWKS_FILE)) };
  }
  return {
    publicBaseUrl: base,
    origin: new URL(base).origin,
    redirectUri: `${base}/smart/callback`,
    clientId: config.SMART_CLIENT_ID,
    clientAuth,
    scopes: config.SMART_SCOPES,
    allowedIssuers: config.SMART_ALLOWED_ISSUERS.map(normaliseBaseUrl),
    issuerAudience: new Map(config.SMART_ALLOWED_ISSUERS.map((entry) => [normaliseBaseUrl(entry), entry])),
    // Development convenience only; config refuses it in production, and we double-check here.
    openServers: production ? [] : config.SMART_OPEN_SERVERS.map(normaliseBaseUrl),
    fhirTimeoutMs: config.FHIR_TIMEOUT_MS,
    fhirMaxPages: config.FHIR_MAX_PAGES,
    // Inside an EHR iframe the cookie is third-party: only SameSite=None (which needs Secure) survives.
    // Plain-http development cannot set Secure, so it falls back to Lax (top-level launches only).
    cookie: { secure, sameSite: secure ? 'none' : 'lax', partitioned: secure },
    production,
    allowCallbackWithoutLaunchCookie: config.NODE_ENV === 'development' || config.NODE_ENV === 'test',
  };
}
