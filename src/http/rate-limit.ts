// Rate limits for the endpoints a logged-in caller can drive in a loop: the SMART API (per
// session), the auditor API (per token subject) and CDS feedback (per client). Counters live in
// Redis when the runtime has a client (REDIS_URL), so every instance shares one budget; in memory
// otherwise. Identities appear in keys only hashed (a session id is a credential).
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { redisKeyId } from './redis.ts';

export type RateLimitConfig = Pick<
  Config,
  'RATE_LIMIT_MAX' | 'RATE_LIMIT_WINDOW_SECONDS' | 'RATE_LIMIT_REDIS_PREFIX'
>;

/** What a limited caller gets: thrown, so each plugin's error handler shapes the answer. */
export class RateLimitedError extends Error {
  readonly statusCode = 429;
  constructor(public readonly retryAfterSeconds: number) {
    super('Too many requests; try again later');
    this.name = 'RateLimitedError';
  }
}

export interface RateLimitOptions {
  /** Names the budget (`smart`, `audit`, `cds-feedback`): each has its own counters. */
  name: string;
  /**
   * The caller's identity once authenticated (session id, token subject, client iss). The limit
   * runs in preHandler, after authentication; unauthenticated requests fall back to the IP.
   */
  key: (request: FastifyRequest) => string | undefined;
  /** Limit only routes whose config says `rateLimit: {}` (default: every route of the context). */
  global?: boolean;
  /** The process's shared Redis client (`Runtime.redis`); counters stay in memory without one. */
  redis: Redis | undefined;
}

/** Registers the limiter in `app`'s context (not its parent). */
export async function registerRateLimit(
  app: FastifyInstance,
  config: RateLimitConfig,
  opts: RateLimitOptions,
): Promise<void> {
  const { redis } = opts;
  await app.register(rateLimit, {
    global: opts.global ?? true,
    hook: 'preHandler',
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
    keyGenerator: (request) => {
      const who = opts.key(request);
      return who ? `${opts.name}:id:${redisKeyId(who)}` : `${opts.name}:ip:${request.ip}`;
    },
    ...(redis ? { redis, nameSpace: config.RATE_LIMIT_REDIS_PREFIX, skipOnError: false } : {}),
    errorResponseBuilder: (_request, context) => new RateLimitedError(Math.ceil(context.ttl / 1000)),
  });
}
