// Server-side records behind the browser's opaque cookies (backend-for-frontend): the launch state
// between /launch and /callback, and the session afterwards. Tokens live here and nowhere else.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AcuityLevel } from './codes.ts';
import type { TokenSet } from './oauth/token-client.ts';
import type { SmartSettings } from './settings.ts';

export const SESSION_COOKIE = 'citecare_smart';
export const LAUNCH_COOKIE = 'citecare_smart_launch';
export const COOKIE_PATH = '/smart';
export const LAUNCH_TTL_MS = 10 * 60 * 1000;
/** Idle lifetime; every API call extends it. The FHIR token's own expiry is handled separately. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export interface LaunchState {
  iss: string;
  launchType: 'ehr' | 'standalone';
  codeVerifier: string;
  redirectUri: string;
  tokenEndpoint: string;
  scope: string;
  /** Random value also sent as the launch cookie; when the cookie survives it must match. */
  browserBinding: string;
  createdAt: number;
}

/** What the nurse saw when deciding: enough to write the Observation and the audit event later. */
export interface ShownAssessment {
  recordId: string;
  level: AcuityLevel;
  floorLevel: AcuityLevel | null;
  modelLevel?: AcuityLevel;
  /** The vital-sign Observations the assessment used (Observation.derivedFrom). */
  vitalRefs: string[];
  at: string;
}

export interface PendingDecision {
  assessment: ShownAssessment;
  action: 'accept' | 'override';
  level: AcuityLevel;
  reason?: string;
  decidedAt: string;
  /** Set once the FHIR server accepted the Observation, so a retry only repeats the audit step. */
  observationRef?: string;
  lastError?: string;
}

export interface SmartSession {
  id: string;
  csrfToken: string;
  iss: string;
  mode: 'smart' | 'open';
  tokenEndpoint?: string;
  tokens?: TokenSet;
  patientId: string;
  encounterId?: string;
  fhirUser?: string;
  needPatientBanner: boolean;
  lastAssessment?: ShownAssessment;
  pendingDecision?: PendingDecision;
  createdAt: number;
}

export function cookieOptions(settings: SmartSettings, maxAgeMs: number) {
  return {
    path: COOKIE_PATH,
    httpOnly: true,
    secure: settings.cookie.secure,
    sameSite: settings.cookie.sameSite,
    ...(settings.cookie.partitioned ? { partitioned: true } : {}),
    maxAge: Math.floor(maxAgeMs / 1000),
  } as const;
}

export function clearCookie(reply: FastifyReply, settings: SmartSettings, name: string): void {
  reply.clearCookie(name, cookieOptions(settings, 0));
}

export const sameSecret = (a: string | undefined, b: string): boolean => {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * CSRF defence for every state-changing call: the per-session token in a header (a cross-site form
 * cannot set headers) and the Origin (or, failing that, Referer) must be our own.
 */
export function csrfProblem(
  request: FastifyRequest,
  session: SmartSession,
  settings: SmartSettings,
): string | null {
  const header = request.headers['x-csrf-token'];
  if (!sameSecret(typeof header === 'string' ? header : undefined, session.csrfToken)) {
    return 'Missing or wrong CSRF token.';
  }
  const origin = request.headers.origin;
  const referer = request.headers.referer;
  let from: string | undefined;
  try {
    from = origin ? new URL(origin).origin : referer ? new URL(referer).origin : undefined;
  } catch {
    from = undefined;
  }
  if (from !== settings.origin) return 'Request did not come from this application.';
  return null;
}
