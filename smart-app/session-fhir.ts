// FHIR access with the session's token: refreshes shortly before expiry (and once after a 401),
// and turns an unrecoverable token into SessionExpiredError so the page can say "relaunch".
import { type FhirGateway, FhirGatewayError } from '../src/fhir/gateway.ts';
import { type SmartAppContext, saveSession } from './context.ts';
import { refreshTokens, TokenError, type TokenSet } from './oauth/token-client.ts';
import type { SmartSession } from './session.ts';

/** Refresh this long before expiry so a request never leaves with a token about to lapse. */
const REFRESH_MARGIN_MS = 30_000;

export class SessionExpiredError extends Error {
  constructor(message = 'Your session has expired. Relaunch the app from the EHR.') {
    super(message);
    this.name = 'SessionExpiredError';
  }
}

// One refresh per session at a time: parallel page requests must not race with the same
// (possibly single-use) refresh token. In this process a shared promise; across instances the
// refresh lock (Redis), after which the waiting instances read the token the holder stored.
const inFlight = new Map<string, Promise<TokenSet>>();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LOCK_POLL_MS = 100;

/** The stored session's tokens when another instance has replaced `stale` since it was read. */
async function newerStoredTokens(
  ctx: SmartAppContext,
  session: SmartSession,
  stale: TokenSet | undefined,
): Promise<TokenSet | undefined> {
  const stored = await ctx.sessions.get(session.id);
  if (!stored) throw new SessionExpiredError();
  const tokens = stored.tokens;
  if (!tokens || tokens.accessToken === stale?.accessToken) return undefined;
  session.tokens = tokens;
  return tokens;
}

async function refreshHoldingLock(ctx: SmartAppContext, session: SmartSession): Promise<TokenSet> {
  const current = session.tokens;
  if (!current?.refreshToken || !session.tokenEndpoint || !ctx.settings.clientId)
    throw new SessionExpiredError();
  try {
    const next = await refreshTokens(
      {
        tokenEndpoint: session.tokenEndpoint,
        clientId: ctx.settings.clientId,
        clientAuth: ctx.settings.clientAuth,
        timeoutMs: ctx.settings.fhirTimeoutMs,
      },
      current,
    );
    session.tokens = next;
    await saveSession(ctx, session);
    return next;
  } catch (err) {
    if (err instanceof TokenError) throw new SessionExpiredError();
    throw err;
  }
}

async function refreshAcrossInstances(ctx: SmartAppContext, session: SmartSession): Promise<TokenSet> {
  const stale = session.tokens;
  // The lock outlives one token call; a holder that died frees it when it expires.
  const lockMs = ctx.settings.fhirTimeoutMs + 2000;
  const giveUpAt = Date.now() + 2 * lockMs;
  for (;;) {
    const owner = await ctx.refreshLock.acquire(session.id, lockMs);
    if (owner) {
      try {
        // Another instance may have finished a refresh between our read and our lock.
        return (await newerStoredTokens(ctx, session, stale)) ?? (await refreshHoldingLock(ctx, session));
      } finally {
        await ctx.refreshLock.release(session.id, owner).catch(() => {});
      }
    }
    await sleep(LOCK_POLL_MS);
    const adopted = await newerStoredTokens(ctx, session, stale);
    if (adopted) return adopted;
    if (Date.now() > giveUpAt) throw new Error('token refresh by another instance did not finish in time');
  }
}

async function refresh(ctx: SmartAppContext, session: SmartSession): Promise<TokenSet> {
  const running = inFlight.get(session.id);
  if (running) return running;
  const job = refreshAcrossInstances(ctx, session);
  inFlight.set(session.id, job);
  try {
    return await job;
  } finally {
    inFlight.delete(session.id);
  }
}

async function currentToken(ctx: SmartAppContext, session: SmartSession): Promise<string | undefined> {
  if (session.mode === 'open') return undefined;
  const tokens = session.tokens;
  if (!tokens) throw new SessionExpiredError();
  const expiring = tokens.expiresAt !== undefined && tokens.expiresAt - REFRESH_MARGIN_MS <= Date.now();
  if (!expiring) return tokens.accessToken;
  if (tokens.refreshToken) {
    try {
      return (await refresh(ctx, session)).accessToken;
    } catch (err) {
      // Refreshed early and failed: the current token still works until it really expires.
      if (
        err instanceof SessionExpiredError &&
        tokens.expiresAt !== undefined &&
        tokens.expiresAt > Date.now()
      ) {
        return tokens.accessToken;
      }
      throw err;
    }
  }
  if (tokens.expiresAt !== undefined && tokens.expiresAt <= Date.now()) throw new SessionExpiredError();
  return tokens.accessToken;
}

/**
 * Runs `work` with a valid access token for the session (undefined for an open server): refreshes
 * shortly before expiry, and once after a 401 (a FhirGatewayError with status 401).
 */
async function withAccessToken<T>(
  ctx: SmartAppContext,
  session: SmartSession,
  work: (accessToken: string | undefined) => Promise<T>,
): Promise<T> {
  const token = await currentToken(ctx, session);
  try {
    return await work(token);
  } catch (err) {
    const unauthorised = err instanceof FhirGatewayError && err.status === 401;
    if (!unauthorised) throw err;
    if (session.mode === 'open') throw err;
    // The server may have revoked or shortened the token: one refresh, one retry.
    if (!session.tokens?.refreshToken) throw new SessionExpiredError();
    const fresh = await refresh(ctx, session);
    try {
      return await work(fresh.accessToken);
    } catch (again) {
      if (again instanceof FhirGatewayError && again.status === 401) throw new SessionExpiredError();
      throw again;
    }
  }
}

/** Runs `work` against the session's FHIR server with a valid token. */
export function withFhir<T>(
  ctx: SmartAppContext,
  session: SmartSession,
  work: (gateway: FhirGateway) => Promise<T>,
): Promise<T> {
  return withAccessToken(ctx, session, (accessToken) =>
    work(
      ctx.runtime.fhirGateway(
        session.iss,
        { accessToken },
        { timeoutMs: ctx.settings.fhirTimeoutMs, maxPages: ctx.settings.fhirMaxPages },
      ),
    ),
  );
}
