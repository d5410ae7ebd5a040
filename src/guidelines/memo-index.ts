// A bounded memo of guideline searches. With BM25 alone a search is a pure function of the query
// and the (immutable) corpus, and the same chart asks the same questions on every view: the profile
// of a patient-view hook put retrieval first among its own costs. Not for the hybrid index, whose
// answer depends on an embedding endpoint that may be degraded at the moment of the search.
import type { GuidelineIndex, RetrievalQuery, ScoredPassage } from './types.ts';

export function memoizeSearches(index: GuidelineIndex, maxEntries = 2000): GuidelineIndex {
  const memo = new Map<string, Promise<ScoredPassage[]>>();
  return {
    get corpusVersion() {
      return index.corpusVersion;
    },
    get size() {
      return index.size;
    },
    get: (chunkId) => index.get(chunkId),
    async search(query: RetrievalQuery): Promise<ScoredPassage[]> {
      const key = JSON.stringify([query.text, query.topics ?? [], query.codes ?? [], query.k ?? null]);
      let hit = memo.get(key);
      if (hit) {
        // Least recently used last: re-insert.
        memo.delete(key);
      } else {
        hit = index.search(query);
        hit.catch(() => memo.delete(key));
      }
      memo.set(key, hit);
      while (memo.size > maxEntries) {
        const oldest = memo.keys().next().value;
        if (oldest === undefined) break;
        memo.delete(oldest);
      }
      // A copy: callers may sort or filter the array they get.
      return [...(await hit)];
    },
  };
}
