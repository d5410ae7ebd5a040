// Hybrid retrieval: the BM25 list (with code and topic boosts) fused with a dense list from
// embeddings by reciprocal rank fusion. A failing embedding endpoint never fails a search: the
// answer falls back to BM25 alone and the failure is reported once per query through onWarning.
import type { Bm25GuidelineIndex } from './bm25-index.ts';
import { DEFAULT_K, queryText } from './bm25-index.ts';
import { cosine, type Embedder } from './embedder.ts';
import { RRF_K, reciprocalRankFusion } from './rrf.ts';
import type { GuidelineIndex, Passage, RetrievalQuery, ScoredPassage } from './types.ts';

/** How deep each list goes before fusion. */
const CANDIDATES = 50;

export interface HybridOptions {
  queryTimeoutMs?: number;
  onWarning?: (message: string) => void;
}

export class HybridGuidelineIndex implements GuidelineIndex {
  readonly mode = 'hybrid' as const;

  constructor(
    private readonly bm25: Bm25GuidelineIndex,
    private readonly embedder: Embedder,
    /** One vector per passage, keyed by chunk id. */
    private readonly vectors: ReadonlyMap<string, readonly number[]>,
    private readonly options: HybridOptions = {},
  ) {}

  get corpusVersion(): string {
    return this.bm25.corpusVersion;
  }

  get size(): number {
    return this.bm25.size;
  }

  get passages(): readonly Passage[] {
    return this.bm25.passages;
  }

  get(chunkId: string): Passage | undefined {
    return this.bm25.get(chunkId);
  }

  async search(query: RetrievalQuery): Promise<ScoredPassage[]> {
    const k = query.k ?? DEFAULT_K;
    const lexical = this.bm25.rank(query, CANDIDATES);
    let dense: string[];
    try {
      dense = await this.denseRanking(query);
    } catch (err) {
      this.options.onWarning?.(`embedding search failed, using BM25 only: ${(err as Error).message}`);
      return lexical.slice(0, k);
    }
    const fused = reciprocalRankFusion([lexical.map((p) => p.chunkId), dense], RRF_K);
    return [...fused.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, k)
      .map(([id, score]) => ({ ...this.bm25.get(id)!, score }));
  }

  private async denseRanking(query: RetrievalQuery): Promise<string[]> {
    const text = queryText(query);
    if (text === '') return [];
    const signal = AbortSignal.timeout(this.options.queryTimeoutMs ?? 1500);
    const [q] = await this.embedder.embed([text], signal);
    if (!q) throw new Error('no query vector');
    return [...this.vectors.entries()]
      .map(([id, v]) => [id, cosine(q, v)] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, CANDIDATES)
      .map(([id]) => id);
  }
}
