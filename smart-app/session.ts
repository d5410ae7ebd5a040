// Server-side records behind the browser's opaque cookies (backend-for-frontend): the session after
// sign-in (the launch state before it is oauth/launch-state.ts). Tokens live here and nowhere else.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AcuityLevel } from './codes.ts';
import type { TokenSet } from './oauth/token-client.ts';
import type { SmartSettings } from './settings.ts';

// The launch state and its cookie are the OAuth units' (oauth/launch-state.ts); named here too.
export {
  LAUNCH_COOKIE_PREFIX,
  LAUNCH_TTL_MS,
  type LaunchState,
  launchCookieName,
} from './oauth/launch-state.ts';

/** Each launch gets its own cookie `citecare_smart_<handle>`, so a second launch never replaces the first. */
export const SESSION_COOKIE_PREFIX = 'citecare_smart_';
/** The page names its launch's handle in this header (or the `session` query parameter). */
export const SESSION_HANDLE_HEADER = 'x-citecare-session';
/** The patient the page was drawn for; a state-changing call for another patient is refused. */
export const PAGE_PATIENT_HEADER = 'x-citecare-patient';
export const COOKIE_PATH = '/smart';
/** Idle lifetime; every API call extends it. The FHIR token's own expiry is handled separately. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** However active, a session ends this long after sign-in. */
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/** An unsent decision outlives its session: the nurse sees it on the next launch. */
export const PENDING_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export const sessionCookieName = (handle: string): string => `${SESSION_COOKIE_PREFIX}${handle}`;

export const HANDLE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** How long the session may still live from `now`: idle window, capped by the absolute limit. */
export const sessionTtl = (session: Pick<SmartSession, 'createdAt'>, now = Date.now()): number =>
  Math.min(SESSION_IDLE_MS, session.createdAt + SESSION_MAX_MS - now);

/**
 * Key of the unsent-decision store: one per server, patient and verified nurse, so a decision
 * outlives sessions and relaunches. Without a verified user (no id_token, no fhirUser, open mode)
 * nobody can tell two nurses apart, so the decision stays in the session that made it.
 */
export const pendingKey = (session: Pick<SmartSession, 'id' | 'iss' | 'patientId' | 'fhirUser'>): string =>
  createHash('sha256')
    .update(
      JSON.stringify(
        session.fhirUser
          ? [session.iss, session.patientId, session.fhirUser]
          : [session.iss, session.patientId, '', 'session', session.id],
      ),
    )
    .digest('base64url');

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
  /** The deciding nurse's fhirUser: performer and audit user, whoever presses Retry. */
  user?: string;
  iss: string;
  patientId: string;
  encounterId?: string;
  /** Set once the FHIR server accepted the Observation, so a retry only repeats the audit step. */
  observationRef?: string;
  lastError?: string;
}

export interface SmartSession {
  id: string;
  /** Public per-launch handle: names the cookie and travels with the page's requests. */
  handle: string;
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
