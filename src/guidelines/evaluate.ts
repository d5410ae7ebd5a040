// Retrieval quality on a labelled query set: recall@k (share of each query's relevant chunks in
// its top k, averaged) and MRR (reciprocal rank of the first relevant chunk, averaged).
import { z } from 'zod';
import type { GuidelineIndex } from './types.ts';

export const labelledQuerySchema = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  topics: z.array(z.string()).optional(),
  codes: z.array(z.string()).optional(),
  relevant: z.array(z.string().includes('#')).min(1),
});

export const querySetSchema = z.object({
  description: z.string().optional(),
  queries: z.array(labelledQuerySchema).min(1),
});

export type LabelledQuery = z.infer<typeof labelledQuerySchema>;

export interface QueryOutcome {
  id: string;
  recall: number;
  reciprocalRank: number;
  missing: string[];
  top: string[];
}

export interface EvaluationResult {
  k: number;
  queries: number;
  recallAtK: number;
  mrr: number;
  outcomes: QueryOutcome[];
}

export async function evaluateRetrieval(
  index: GuidelineIndex,
  queries: readonly LabelledQuery[],
  k = 5,
): Promise<EvaluationResult> {
  const outcomes: QueryOutcome[] = [];
  for (const q of queries) {
    // MRR looks deeper than k so that a near miss still counts for something.
    const hits = await index.search({ text: q.text, topics: q.topics, codes: q.codes, k: Math.max(k, 20) });
    const ids = hits.map((h) => h.chunkId);
    const top = ids.slice(0, k);
    const missing = q.relevant.filter((r) => !top.includes(r));
    const first = ids.findIndex((id) => q.relevant.includes(id));
    outcomes.push({
      id: q.id,
      recall: (q.relevant.length - missing.length) / q.relevant.length,
      reciprocalRank: first === -1 ? 0 : 1 / (first + 1),
      missing,
      top,
    });
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
  return {
    k,
    queries: outcomes.length,
    recallAtK: mean(outcomes.map((o) => o.recall)),
    mrr: mean(outcomes.map((o) => o.reciprocalRank)),
    outcomes,
  };
}
