// Reciprocal rank fusion (Cormack et al., 2009): combines ranked lists without comparing their
// scores, which for BM25 and cosine similarity live on unrelated scales.
export const RRF_K = 60;

/** Fused score per id: the sum over lists of 1 / (k + rank), rank starting at 1. */
export function reciprocalRankFusion(
  lists: ReadonlyArray<readonly string[]>,
  k = RRF_K,
): Map<string, number> {
  const fused = new Map<string, number>();
  for (const list of lists) {
    list.forEach((id, i) => {
      fused.set(id, (fused.get(id) ?? 0) + 1 / (k + i + 1));
    });
  }
  return fused;
}
