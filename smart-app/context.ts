// What every route of the plugin shares.
import type { Runtime } from '../src/server/runtime.ts';
import type { ExpiringStore } from './expiring-store.ts';
import type { SmartServerInfo } from './oauth/discovery.ts';
import type { RefreshLock } from './refresh-lock.ts';
import { type LaunchState, type PendingDecision, type SmartSession, sessionTtl } from './session.ts';
import type { SmartSettings } from './settings.ts';

export interface SmartAppContext {
  runtime: Runtime;
  settings: SmartSettings;
  launches: ExpiringStore<LaunchState>;
  sessions: ExpiringStore<SmartSession>;
  /** Unsent decisions, keyed by pendingKey(session): with a verified user they outlive sessions and relaunches. */
  pending: ExpiringStore<PendingDecision>;
  discover: (iss: string, timeoutMs: number) => Promise<SmartServerInfo>;
  /** One token refresh per session at a time, across instances when Redis is shared. */
  refreshLock: RefreshLock;
}

/** Stores the session with its sliding idle expiry, never past the absolute cap. */
export async function saveSession(ctx: SmartAppContext, session: SmartSession): Promise<void> {
  const ttl = sessionTtl(session);
  if (ttl <= 0) await ctx.sessions.delete(session.id);
  else await ctx.sessions.set(session.id, session, ttl);
}
