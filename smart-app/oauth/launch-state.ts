// The record kept between /launch and /callback (keyed by the single-use `state`), and the
// per-launch cookie that binds it to the browser that started the launch.
import { createHash } from 'node:crypto';

export const LAUNCH_COOKIE_PREFIX = 'citecare_launch_';
export const LAUNCH_TTL_MS = 10 * 60 * 1000;

/** One launch cookie per state, so parallel launches in one browser do not overwrite each other. */
export const launchCookieName = (state: string): string =>
  `${LAUNCH_COOKIE_PREFIX}${createHash('sha256').update(state).digest('base64url').slice(0, 22)}`;

export interface LaunchState {
  iss: string;
  launchType: 'ehr' | 'standalone';
  codeVerifier: string;
  redirectUri: string;
  tokenEndpoint: string;
  scope: string;
  /** Random value also sent as the launch cookie; it must come back with the callback. */
  browserBinding: string;
  /** OpenID Connect nonce sent to authorize; the id_token must carry it. */
  nonce?: string;
  /** The authorization server's issuer identifier (discovery `issuer`). */
  authIssuer?: string;
  /** RFC 9207: the server promised an `iss` parameter on the callback. */
  requireIssParam?: boolean;
  jwksUri?: string;
  createdAt: number;
}

/** Where launch states wait for their callback (the plugin's ExpiringStore<LaunchState>). */
export interface LaunchStore {
  set(state: string, record: LaunchState, ttlMs: number): Promise<void>;
  /** Returns the record and removes it: a replayed callback finds nothing. */
  take(state: string): Promise<LaunchState | undefined>;
}
