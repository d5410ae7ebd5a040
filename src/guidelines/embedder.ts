// The embedding port of hybrid retrieval, and the similarity it ranks by. The adapter for an
// OpenAI-compatible endpoint is src/llm/openai-embedder.ts; tests bring their own.

export interface Embedder {
  /** Identifies the vector space; cached vectors are reused only for the same id. */
  readonly id: string;
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
