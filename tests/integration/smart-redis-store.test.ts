import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisExpiringStore } from '../../smart-app/redis-expiring-store.ts';
import { redisKeyId } from '../../src/http/redis.ts';
import { signIn, startTestbed } from './smart-testbed.ts';

const URL = 'redis://127.0.0.1:6379';
const prefix = `citecare-test:${randomUUID()}:`;
const secret = 'a-session-secret-of-at-least-32-characters';

describe('SMART session store on Redis (several instances)', () => {
  const a = new RedisExpiringStore<{ accessToken: string }>({ url: URL, keyPrefix: prefix, secret });
  const b = new RedisExpiringStore<{ accessToken: string }>({ url: URL, keyPrefix: prefix, secret });
  const raw = new Redis(URL);
  after(async () => {
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length) await raw.del(...keys);
    await Promise.all([a.close(), b.close(), raw.quit()]);
  });

  it('shares sessions between instances, sealed so Redis never holds a readable token', async () => {
    await a.set('s1', { accessToken: 'tok-very-secret' }, 60_000);
    assert.deepEqual(await b.get('s1'), { accessToken: 'tok-very-secret' });
    const stored = await raw.get(`${prefix}${redisKeyId('s1')}`);
    assert.ok(stored);
    assert.ok(!stored.includes('tok-very-secret'));
    const other = new RedisExpiringStore<{ accessToken: string }>({
      url: URL,
      keyPrefix: prefix,
      secret: 'x'.repeat(40),
    });
    try {
      assert.equal(await other.get('s1'), undefined, 'another secret cannot open it');
    } finally {
      await other.close();
    }
  });

  it('lets only one instance take a launch state, and expires records', async () => {
    await a.set('state', { accessToken: 'n/a' }, 60_000);
    const [x, y] = await Promise.all([a.take('state'), b.take('state')]);
    assert.equal([x, y].filter(Boolean).length, 1);
    await a.set('short', { accessToken: 't' }, 50);
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(await b.get('short'), undefined);
  });

  it('is what the app uses when REDIS_URL and SESSION_SECRET are set', async () => {
    const tb = await startTestbed({ env: { REDIS_URL: URL, SESSION_SECRET: secret } });
    try {
      const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=redis`);
      assert.equal(r.callback?.statusCode, 303);
      const sessionId = r.jar.get(`citecare_smart_${r.handle}`) ?? '';
      const sealed = await raw.get(`citecare:smart-session:${redisKeyId(sessionId)}`);
      assert.ok(sealed, 'the session lives in Redis');
      for (const t of tb.smart.stats.issued) assert.ok(!sealed.includes(t));
      assert.equal((r.context as { patientId: string }).patientId, 'pt-ed-1');
      await raw.del(`citecare:smart-session:${redisKeyId(sessionId)}`);
    } finally {
      await tb.close();
    }
  });

  it('keeps session ids out of Redis keys: sessions and rate-limit counters are keyed by a hash', async () => {
    const keyPrefix = `citecare-test:${randomUUID()}:`;
    const tb = await startTestbed({
      realRuntime: true,
      env: { REDIS_URL: URL, SESSION_SECRET: secret, REDIS_KEY_PREFIX: keyPrefix },
    });
    try {
      const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=hashed`);
      assert.equal(r.callback?.statusCode, 303);
      const sessionId = r.jar.get(`citecare_smart_${r.handle}`) ?? '';
      assert.ok(sessionId.length > 16);
      const keys = await raw.keys(`${keyPrefix}*`);
      assert.ok(keys.includes(`${keyPrefix}smart-session:${redisKeyId(sessionId)}`), keys.join(' '));
      assert.ok(keys.includes(`${keyPrefix}rate-limit:smart:id:${redisKeyId(sessionId)}`), keys.join(' '));
      for (const key of keys) assert.ok(!key.includes(sessionId), `raw session id in ${key}`);
    } finally {
      await tb.close();
      const keys = await raw.keys(`${keyPrefix}*`);
      if (keys.length) await raw.del(...keys);
    }
  });
});
