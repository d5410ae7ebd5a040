import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoizeSearches } from '../../src/guidelines/memo-index.ts';
import type { GuidelineIndex, RetrievalQuery, ScoredPassage } from '../../src/guidelines/types.ts';

function countingIndex(fail = false) {
  const calls: RetrievalQuery[] = [];
  const passage = (id: string, score: number) => ({ chunkId: id, score }) as unknown as ScoredPassage;
  const index: GuidelineIndex = {
    corpusVersion: 'v1',
    size: 2,
    get: () => undefined,
    async search(query) {
      calls.push(query);
      if (fail) throw new Error('index unavailable');
      return [passage(`${query.text}#1`, 2), passage(`${query.text}#2`, 1)];
    },
  };
  return { index, calls };
}

describe('memoised guideline searches', () => {
  it('answers a repeated query from memory, with an array the caller may reorder', async () => {
    const { index, calls } = countingIndex();
    const memo = memoizeSearches(index);
    const first = await memo.search({ text: 'sepsis lactate', topics: ['sepsis'], k: 3 });
    first.reverse();
    const second = await memo.search({ text: 'sepsis lactate', topics: ['sepsis'], k: 3 });
    assert.equal(calls.length, 1);
    assert.deepEqual(
      second.map((p) => p.chunkId),
      ['sepsis lactate#1', 'sepsis lactate#2'],
    );
    await memo.search({ text: 'sepsis lactate', topics: ['sepsis'], codes: ['x|1'], k: 3 });
    assert.equal(calls.length, 2, 'other patient codes are another query');
    assert.equal(memo.corpusVersion, 'v1');
    assert.equal(memo.size, 2);
  });

  it('keeps at most maxEntries queries, forgetting the least recently used', async () => {
    const { index, calls } = countingIndex();
    const memo = memoizeSearches(index, 2);
    await memo.search({ text: 'a' });
    await memo.search({ text: 'b' });
    await memo.search({ text: 'a' });
    await memo.search({ text: 'c' });
    await memo.search({ text: 'a' });
    assert.equal(calls.length, 3, 'a stayed (recently used)');
    await memo.search({ text: 'b' });
    assert.equal(calls.length, 4, 'b was evicted');
  });

  it('does not remember a failure', async () => {
    const { index, calls } = countingIndex(true);
    const memo = memoizeSearches(index);
    await assert.rejects(memo.search({ text: 'a' }));
    await assert.rejects(memo.search({ text: 'a' }));
    assert.equal(calls.length, 2);
  });
});
