// What the OAuth units know about this client: the part of SmartSettings (../settings.ts, resolved
// from the configuration) that the launch, the callback and the token client read.
import type { CryptoKey } from 'jose';

export type ClientAuth =
  | { method: 'none' }
  | { method: 'client_secret_basic'; secret: string }
  | { method: 'private_key_jwt'; key: CryptoKey; alg: 'RS384' | 'ES384'; kid?: string };

export interface OAuthClientSettings {
  redirectUri: string;
  clientId?: string;
  clientAuth: ClientAuth;
  scopes: string;
  allowedIssuers: string[];
  /** Normalised issuer → the allowlist entry as configured (sent as `aud` exactly so). */
  issuerAudience: Map<string, string>;
  openServers: string[];
  fhirTimeoutMs: number;
  production: boolean;
  /**
   * Development and test only: a callback whose launch cookie was blocked (third-party iframe over
   * plain http) may complete from the state record alone. Production always requires the cookie.
   */
  allowCallbackWithoutLaunchCookie: boolean;
}

export const normaliseBaseUrl = (url: string): string => url.trim().replace(/\/+$/, '');
