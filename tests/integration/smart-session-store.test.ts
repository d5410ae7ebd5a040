import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryExpiringStore } from '../../smart-app/expiring-store.ts';

describe('SMART session store (memory adapter)', () => {
  it('forgets a session after its lifetime and a launch state after one use', async () => {
    let now = 1_000;
    const store = new MemoryExpiringStore<{ user: string }>({ now: () => now });
    await store.set('s1', { user: 'nurse' }, 60_000);
    now += 59_999;
    assert.deepEqual(await store.get('s1'), { user: 'nurse' });
    now += 1;
    assert.equal(await store.get('s1'), undefined);

    await store.set('state', { user: 'launch' }, 60_000);
    assert.deepEqual(await store.take('state'), { user: 'launch' });
    assert.equal(await store.take('state'), undefined, 'a state cannot be used twice');
  });

  it('stays bounded: when full of live entries the oldest goes first', async () => {
    const store = new MemoryExpiringStore<number>({ maxItems: 2 });
    await store.set('a', 1, 60_000);
    await store.set('b', 2, 60_000);
    await store.set('c', 3, 60_000);
    assert.equal(await store.get('a'), undefined);
    assert.equal(await store.get('b'), 2);
    assert.equal(await store.get('c'), 3);
  });
});
