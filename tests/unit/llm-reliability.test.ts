import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adviceCacheKey, adviceInputHash, MemoryAdviceCache } from '../../src/llm/advice-cache.ts';
import { CircuitBreaker } from '../../src/llm/circuit-breaker.ts';
import { retryAfterMs, toModelCallError } from '../../src/llm/openai-chat.ts';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../../src/llm/retry-policy.ts';
import type { AdviceResult } from '../../src/llm/types.ts';
import { requestFixture, snapshotFixture } from '../helpers/llm-fixtures.ts';

const result = (n: number): AdviceResult => ({
  kind: 'summary',
  status: 'ok',
  statements: [],
  dropped: [],
  durationMs: n,
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, lets one trial through after the pause, and closes on success', () => {
    let t = 0;
    const b = new CircuitBreaker({ failureThreshold: 3, openMs: 30_000, now: () => t });
    b.onFailure();
    b.onFailure();
    b.onSuccess();
    b.onFailure();
    b.onFailure();
    assert.equal(b.state, 'closed', 'a success resets the count');
    b.onFailure();
    assert.equal(b.state, 'open');
    assert.equal(b.tryAcquire(), false);
    t += 30_000;
    assert.equal(b.state, 'half-open');
    assert.equal(b.tryAcquire(), true);
    assert.equal(b.tryAcquire(), false, 'only one trial at a time');
    b.onFailure();
    assert.equal(b.state, 'open', 'a failed trial re-opens');
    t += 30_000;
    assert.equal(b.tryAcquire(), true);
    b.onSuccess();
    assert.equal(b.state, 'closed');
  });
});

describe('retry policy', () => {
  it('backs off exponentially, honours a short Retry-After and gives up on a long one', () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxAttempts: 3 };
    assert.equal(
      retryDelay(1, undefined, p, () => 1),
      100,
    );
    assert.equal(
      retryDelay(2, undefined, p, () => 1),
      200,
    );
    assert.equal(
      retryDelay(2, undefined, p, () => 0),
      100,
    );
    assert.equal(retryDelay(3, undefined, p), null, 'attempts exhausted');
    assert.equal(retryDelay(1, 1500, p), 1500);
    assert.equal(retryDelay(1, 60_000, p), null);
  });

  it('reads Retry-After in seconds, milliseconds or as an HTTP date', () => {
    assert.equal(retryAfterMs(new Headers({ 'retry-after': '2' })), 2000);
    assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '350', 'retry-after': '1' })), 350);
    const inFive = new Date(Date.now() + 5000).toUTCString();
    const ms = retryAfterMs(new Headers({ 'retry-after': inFive }))!;
    assert.ok(ms > 3000 && ms <= 5000);
    assert.equal(retryAfterMs(new Headers()), undefined);
  });
});

describe('model error classification', () => {
  it('does not take a TypeError from our own code for a network error', () => {
    const bug = toModelCallError(new TypeError("Cannot read properties of undefined (reading 'content')"));
    assert.equal(bug.kind, 'internal');
    assert.equal(bug.retryable, false);
    const down = toModelCallError(new TypeError('fetch failed'));
    assert.equal(down.kind, 'network');
    assert.equal(down.retryable, true);
  });
});

describe('advice cache', () => {
  it('keys on the input, the prompt version and the model', () => {
    const h = adviceInputHash(requestFixture());
    assert.equal(h, adviceInputHash(requestFixture()));
    assert.notEqual(
      h,
      adviceInputHash(requestFixture({ snapshot: snapshotFixture({ chiefComplaint: 'x' }) })),
    );
    const later = requestFixture();
    later.snapshot = { ...later.snapshot, at: '2026-11-26T12:01:00Z' };
    later.assessment = { ...later.assessment, at: '2026-11-26T12:01:00Z' };
    assert.equal(adviceInputHash(later), h, 'the same chart a minute later finds the finished answer');
    const k = (v: string, m: string) =>
      adviceCacheKey({ inputHash: h, promptId: 'p', promptVersion: v, model: m });
    assert.notEqual(k('1', 'a'), k('2', 'a'));
    assert.notEqual(k('1', 'a'), k('1', 'b'));
    const at = (asOf: string) =>
      adviceCacheKey({ inputHash: h, promptId: 'p', promptVersion: '1', model: 'a', asOf });
    assert.equal(at('2026-11-26T12:00:00Z'), at('2026-11-26T12:04:59Z'), 'same 5-minute bucket');
    assert.notEqual(at('2026-11-26T12:04:59Z'), at('2026-11-26T12:05:00Z'));
  });

  it('expires entries and evicts the least recently used', async () => {
    let t = 0;
    const c = new MemoryAdviceCache({ maxEntries: 2, ttlMs: 1000, now: () => t });
    await c.set('a', result(1));
    await c.set('b', result(2));
    await c.get('a');
    await c.set('c', result(3));
    assert.equal(await c.get('b'), undefined, 'b was least recently used');
    assert.equal((await c.get('a'))?.durationMs, 1);
    t += 1001;
    assert.equal(await c.get('c'), undefined, 'expired');
  });
});
