// The process's shared Redis client (rate-limit counters), and how ids become Redis keys.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * One client per process. A command that Redis does not answer within a second fails the request
 * that needed it instead of holding it; errors surface there, not as an unhandled 'error' event.
 */
export function createSharedRedis(url: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 2000,
    commandTimeout: 1000,
  });
  redis.on('error', () => {});
  return redis;
}

export async function closeRedis(redis: Redis): Promise<void> {
  await redis.quit().catch(() => redis.disconnect());
}

/**
 * The key part for a secret id (a session id, a launch state): its SHA-256, so a Redis dump, a
 * `KEYS *` or a shared Redis never shows an id that would let someone act as its holder.
 */
export function redisKeyId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('base64url');
}
