import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { CdsAuthError, createCdsAuthenticator } from '../../src/auth/cds-jwt.ts';
import { RedisReplayCache } from '../../src/auth/redis-replay-cache.ts';
import { createReplayCache, MemoryReplayCache } from '../../src/auth/replay-cache.ts';
import { getTestCdsClient, mintCdsToken } from '../helpers/cds-tokens.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';

describe('memory replay cache', () => {
  it('says a key was seen only from its second use', async () => {
    const cache = new MemoryReplayCache();
    assert.equal(await cache.seen('a', 60), false);
    assert.equal(await cache.seen('a', 60), true);
    assert.equal(await cache.seen('b', 60), false);
  });

  it('forgets a key once its time to live has passed', async () => {
    let now = 1_000_000;
    const cache = new MemoryReplayCache({ now: () => now });
    await cache.seen('a', 10);
    now += 9_000;
    assert.equal(await cache.seen('a', 10), true);
    now += 2_000;
    assert.equal(await cache.seen('a', 10), false);
  });

  it('stays within its bound, dropping expired entries first', async () => {
    let now = 0;
    const cache = new MemoryReplayCache({ maxEntries: 100, now: () => now });
    for (let i = 0; i < 50; i++) await cache.seen(`short-${i}`, 1);
    for (let i = 0; i < 50; i++) await cache.seen(`long-${i}`, 3600);
    now += 2_000;
    for (let i = 0; i < 50; i++) await cache.seen(`new-${i}`, 3600);
    assert.ok(cache.size <= 100);
    // The live entries survived: only the expired ones made room.
    assert.equal(await cache.seen('long-0', 3600), true);
    for (let i = 0; i < 500; i++) await cache.seen(`flood-${i}`, 3600);
    assert.ok(cache.size <= 100);
  });

  it('surfaces a cache failure as an error of its own, not as a refused token', async () => {
    const { client } = await getTestCdsClient();
    const auth = createCdsAuthenticator({
      clients: [client],
      publicBaseUrl: 'https://cds.example.org',
      replayCache: { seen: async () => Promise.reject(new Error('redis down')) },
    });
    const header = `Bearer ${await mintCdsToken({ aud: 'https://cds.example.org/cds-services' })}`;
    await assert.rejects(auth.verify(header, '/cds-services'), (e: unknown) => !(e instanceof CdsAuthError));
  });

  it('is what the factory builds without a Redis URL', () => {
    assert.ok(createReplayCache() instanceof MemoryReplayCache);
    assert.ok(createReplayCache(undefined) instanceof MemoryReplayCache);
  });
});

describe('Redis replay cache (local Redis)', () => {
  const prefix = `citecare-test:${randomUUID()}:`;
  const admin = new Redis(REDIS_URL);
  const caches: RedisReplayCache[] = [];
  const make = () => {
    const c = new RedisReplayCache({ url: REDIS_URL, keyPrefix: prefix });
    caches.push(c);
    return c;
  };

  after(async () => {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    await Promise.all(caches.map((c) => c.close()));
    await admin.quit();
  });

  it('says a key was seen only from its second use, across instances', async () => {
    const a = make();
    const b = make();
    assert.equal(await a.seen('["iss","jti-1"]', 60), false);
    assert.equal(await b.seen('["iss","jti-1"]', 60), true);
    assert.equal(await a.seen('["iss","jti-1"]', 60), true);
  });

  it('lets exactly one of many concurrent uses win', async () => {
    const a = make();
    const b = make();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).seen('race', 60)));
    assert.equal(results.filter((seen) => !seen).length, 1);
  });

  it('stores the key under its prefix with the time to live', async () => {
    await make().seen('ttl', 120);
    const ttl = await admin.ttl(`${prefix}ttl`);
    assert.ok(ttl > 100 && ttl <= 120, `ttl ${ttl}`);
  });

  it('stops a token accepted by one instance from being replayed against another', async () => {
    const { client } = await getTestCdsClient();
    const instance = () =>
      createCdsAuthenticator({
        clients: [client],
        publicBaseUrl: 'https://cds.example.org',
        replayCache: make(),
      });
    const header = `Bearer ${await mintCdsToken({ aud: 'https://cds.example.org/cds-services' })}`;
    await instance().verify(header, '/cds-services');
    await assert.rejects(
      instance().verify(header, '/cds-services'),
      (e: unknown) => e instanceof CdsAuthError && /replay/.test(e.reason),
    );
  });

  it('is what the factory builds with a Redis URL', async () => {
    const cache = createReplayCache(REDIS_URL);
    try {
      assert.ok(cache instanceof RedisReplayCache);
    } finally {
      await cache.close?.();
    }
  });
});
