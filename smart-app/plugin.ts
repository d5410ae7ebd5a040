// The SMART app as one fastify plugin (mounted at /smart): launch, callback, the BFF API and the page.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync } from 'fastify';
import { registerRateLimit } from '../src/http/rate-limit.ts';
import { registerApiRoutes } from './api-routes.ts';
import type { SmartAppConfig, SmartAppContext, SmartAppDeps } from './context.ts';
import { type ExpiringStore, MemoryExpiringStore } from './expiring-store.ts';
import { registerLaunchRoutes } from './launch-routes.ts';
import { cachedDiscovery } from './oauth/discovery.ts';
import { RedisExpiringStore } from './redis-expiring-store.ts';
import { MemoryRefreshLock, RedisRefreshLock, type RefreshLock } from './refresh-lock.ts';
import type { LaunchState, PendingDecision, SmartSession } from './session.ts';
import { smartSettings } from './settings.ts';
import { registerStaticRoutes } from './static-routes.ts';

export interface SmartAppPluginOptions {
  /** What the app uses of the running service (src/server's Runtime fits). */
  runtime: SmartAppDeps;
  /** Shared stores for several instances; memory (one process) when absent. */
  sessions?: ExpiringStore<SmartSession>;
  launches?: ExpiringStore<LaunchState>;
  /** Unsent decisions (outlive sessions); memory or Redis like the others when absent. */
  pending?: ExpiringStore<PendingDecision>;
  refreshLock?: RefreshLock;
}

/** Memory for one process; Redis (sealed with SESSION_SECRET) when REDIS_URL says several instances share state. */
function defaultStores(config: SmartAppConfig): {
  sessions: ExpiringStore<SmartSession>;
  launches: ExpiringStore<LaunchState>;
  pending: ExpiringStore<PendingDecision>;
  refreshLock: RefreshLock;
  close(): Promise<void>;
} {
  if (config.REDIS_URL && config.SESSION_SECRET) {
    const prefix = config.REDIS_KEY_PREFIX;
    const sessions = new RedisExpiringStore<SmartSession>({
      url: config.REDIS_URL,
      keyPrefix: `${prefix}smart-session:`,
      secret: config.SESSION_SECRET,
    });
    const launches = new RedisExpiringStore<LaunchState>({
      url: config.REDIS_URL,
      keyPrefix: `${prefix}smart-launch:`,
      secret: config.SESSION_SECRET,
    });
    const pending = new RedisExpiringStore<PendingDecision>({
      url: config.REDIS_URL,
      keyPrefix: `${prefix}smart-pending:`,
      secret: config.SESSION_SECRET,
    });
    const refreshLock = new RedisRefreshLock({ url: config.REDIS_URL, keyPrefix: `${prefix}smart-refresh:` });
    return {
      sessions,
      launches,
      pending,
      refreshLock,
      close: async () => {
        await Promise.all([sessions.close(), launches.close(), pending.close(), refreshLock.close()]);
      },
    };
  }
  return {
    sessions: new MemoryExpiringStore(),
    launches: new MemoryExpiringStore(),
    pending: new MemoryExpiringStore(),
    refreshLock: new MemoryRefreshLock(),
    close: async () => {},
  };
}

export const smartAppPlugin: FastifyPluginAsync<SmartAppPluginOptions> = async (app, opts) => {
  const config = opts.runtime.config;
  const stores = opts.sessions && opts.launches && opts.pending ? undefined : defaultStores(config);
  if (stores) app.addHook('onClose', () => stores.close());
  if (config.REDIS_URL && !config.SESSION_SECRET && !opts.sessions) {
    app.log.warn('REDIS_URL is set but SESSION_SECRET is not: SMART sessions stay in this process only.');
  }
  const ctx: SmartAppContext = {
    runtime: opts.runtime,
    settings: await smartSettings(config),
    sessions: opts.sessions ?? (stores as NonNullable<typeof stores>).sessions,
    launches: opts.launches ?? (stores as NonNullable<typeof stores>).launches,
    pending: opts.pending ?? (stores as NonNullable<typeof stores>).pending,
    discover: cachedDiscovery(),
    refreshLock: opts.refreshLock ?? stores?.refreshLock ?? new MemoryRefreshLock(),
  };
  // Registered inside this plugin only: encapsulation keeps them out of the rest of the app.
  if (!app.hasDecorator('parseCookie')) await app.register(cookie);
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);

  // The page and the launch's HTML answers carry the SMART page's CSP (page-headers.ts, given per
  // route); /api keeps the app's default that allows nothing.
  registerLaunchRoutes(app, ctx);
  registerStaticRoutes(app);
  await app.register(
    async (api) => {
      api.decorateRequest('smartSession', undefined);
      // One budget per session (the limit runs after the session hook has found it).
      await registerRateLimit(api, config, {
        name: 'smart',
        key: (request) => request.smartSession?.id,
        redis: opts.runtime.redis,
      });
      registerApiRoutes(api, ctx);
    },
    { prefix: '/api' },
  );
};

export default smartAppPlugin;
