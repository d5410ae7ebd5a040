// Shared state on a real Redis: the sealed model-answer cache and the token-refresh lock that
// several instances use. Keys live under a prefix of their own (other test runs share the Redis).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisRefreshLock } from '../../smart-app/refresh-lock.ts';
import { redisKeyId } from '../../src/http/redis.ts';
import { RedisAdviceCache } from '../../src/llm/redis-advice-cache.ts';
import type { AdviceResult } from '../../src/llm/types.ts';

const URL = 'redis://127.0.0.1:6379';
const prefix = `citecare-test:${randomUUID()}:`;
const secret = 'a-session-secret-of-at-least-32-characters';

const answer: AdviceResult = {
  kind: 'summary',
  status: 'ok',
  statements: [{ text: 'Lactate 4.1 mmol/L is raised.', evidence: [], citations: [] }],
  dropped: [],
  durationMs: 812,
  model: { provider: 'openai', name: 'fake-model', temperature: 0 },
};

describe('shared state on Redis', () => {
  const raw = new Redis(URL);
  const a = new RedisAdviceCache({ url: URL, keyPrefix: prefix, secret });
  const b = new RedisAdviceCache({ url: URL, keyPrefix: prefix, secret });
  const lockA = new RedisRefreshLock({ url: URL, keyPrefix: `${prefix}lock:` });
  const lockB = new RedisRefreshLock({ url: URL, keyPrefix: `${prefix}lock:` });
  after(async () => {
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length) await raw.del(...keys);
    await Promise.all([a.close(), b.close(), lockA.close(), lockB.close(), raw.quit()]);
  });

  it('shares a model answer between instances, sealed and with a TTL', async () => {
    const key = 'advice:summary@2:fake-model:123:abc';
    await a.set(key, answer);
    assert.deepEqual(await b.get(key), answer);
    const stored = await raw.get(`${prefix}${key}`);
    assert.ok(stored);
    assert.ok(!stored.includes('Lactate'), 'the statement is not readable in Redis');
    const ttl = await raw.pttl(`${prefix}${key}`);
    assert.ok(ttl > 29 * 60_000 && ttl <= 30 * 60_000, `ttl ${ttl}`);
    await a.set(`${key}:fallback`, { ...answer, status: 'fallback' }, 60_000);
    assert.ok((await raw.pttl(`${prefix}${key}:fallback`)) <= 60_000);
    const other = new RedisAdviceCache({ url: URL, keyPrefix: prefix, secret: 'y'.repeat(40) });
    try {
      assert.equal(await other.get(key), undefined, 'another secret reads a miss');
    } finally {
      await other.close();
    }
    await raw.set(`${prefix}garbage`, 'not sealed');
    assert.equal(await b.get('garbage'), undefined);
  });

  it('lets one instance hold the refresh lock, released only by its owner', async () => {
    const [x, y] = await Promise.all([lockA.acquire('s1', 5000), lockB.acquire('s1', 5000)]);
    assert.equal([x, y].filter(Boolean).length, 1, 'exactly one holder');
    assert.deepEqual(
      await raw.keys(`${prefix}lock:*`),
      [`${prefix}lock:${redisKeyId('s1')}`],
      'no raw session id',
    );
    const owner = (x ?? y) as string;
    await lockB.release('s1', 'not-the-owner');
    assert.equal(await lockB.acquire('s1', 5000), undefined, 'a stranger cannot release it');
    await lockA.release('s1', owner);
    const next = await lockB.acquire('s1', 50);
    assert.ok(next, 'free again once its owner released it');
    await new Promise((r) => setTimeout(r, 120));
    assert.ok(await lockA.acquire('s1', 5000), 'an expired lock (dead holder) can be taken');
  });
});
