// What every route of the plugin shares, and what the plugin needs from the process hosting it.
import type { Redis } from 'ioredis';
import type { AuditDatabase } from '../src/audit/types.ts';
import type { Clock } from '../src/clinical/clock.ts';
import type { Config } from '../src/config.ts';
import type { FhirGatewayFactory } from '../src/fhir/gateway.ts';
import type { RateLimitConfig } from '../src/http/rate-limit.ts';
import type { Advisor } from '../src/llm/types.ts';
import type { RunPipeline } from '../src/pipeline/types.ts';
import type { ExpiringStore } from './expiring-store.ts';
import type { Discover } from './oauth/discovery.ts';
import { randomToken } from './oauth/pkce.ts';
import type { RefreshLock } from './refresh-lock.ts';
import { type LaunchState, type PendingDecision, type SmartSession, sessionTtl } from './session.ts';
import type { SmartSettings, SmartSettingsConfig } from './settings.ts';

/** The configuration the plugin reads: its settings, the shared stores and the API's rate limit. */
export type SmartAppConfig = SmartSettingsConfig &
  RateLimitConfig &
  Pick<Config, 'REDIS_URL' | 'SESSION_SECRET' | 'REDIS_KEY_PREFIX'>;

/**
 * The parts of the running service the SMART app uses. src/server's Runtime has them all and is
 * passed as is; naming only these keeps the plugin independent of the server's wiring.
 */
export interface SmartAppDeps {
  config: SmartAppConfig;
  clock: Clock;
  /** The shared pipeline: FHIR resources in, assessment and its audit record out. */
  pipeline: RunPipeline;
  advisor: Pick<Advisor, 'describe'>;
  /** The nurse's decision is appended to the assessment's audit record. */
  audit: Pick<AuditDatabase, 'appendFeedback'>;
  /** Reaches the launch's FHIR server with the session's token. */
  fhirGateway: FhirGatewayFactory;
  /** The process's shared Redis client for the API's rate-limit counters (memory without one). */
  redis?: Redis;
}

export interface SmartAppContext {
  runtime: SmartAppDeps;
  settings: SmartSettings;
  launches: ExpiringStore<LaunchState>;
  sessions: ExpiringStore<SmartSession>;
  /** Unsent decisions, keyed by pendingKey(session): with a verified user they outlive sessions and relaunches. */
  pending: ExpiringStore<PendingDecision>;
  discover: Discover;
  /** One token refresh per session at a time, across instances when Redis is shared. */
  refreshLock: RefreshLock;
}

/** Stores the session with its sliding idle expiry, never past the absolute cap. */
export async function saveSession(ctx: SmartAppContext, session: SmartSession): Promise<void> {
  const ttl = sessionTtl(session);
  if (ttl <= 0) await ctx.sessions.delete(session.id);
  else await ctx.sessions.set(session.id, session, ttl);
}

/**
 * Every launch gets its own session (and the route gives it its own cookie, named by a public
 * handle the page sends back), so launching patient B leaves the tab open on patient A untouched.
 * Unsent decisions live in their own store and are not touched here.
 */
export async function createSession(
  ctx: SmartAppContext,
  fields: Omit<SmartSession, 'id' | 'handle' | 'csrfToken' | 'createdAt'>,
): Promise<SmartSession> {
  const session: SmartSession = {
    ...fields,
    id: randomToken(),
    handle: randomToken().slice(0, 24),
    csrfToken: randomToken(),
    createdAt: Date.now(),
  };
  await saveSession(ctx, session);
  return session;
}
