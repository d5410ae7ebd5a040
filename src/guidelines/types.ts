import type { Citation } from '../clinical/types.ts';

export type { Citation };

/** One section of a guideline document: the unit of retrieval and citation. */
export interface Passage {
  /** `${documentId}#${sectionSlug}`: stable while the section exists. */
  chunkId: string;
  documentId: string;
  title: string;
  issuer: string;
  year: number;
  url: string;
  section: string;
  text: string;
  topics: string[];
  /** Codes the document applies to, as `system|code` strings. */
  codes: string[];
  /** SHA-256 of the passage text: records the version a citation was made against. */
  contentHash: string;
}

export interface RetrievalQuery {
  text: string;
  /** Topic tags from findings; passages sharing them are boosted. */
  topics?: string[];
  /** Patient codes as `system|code`; passages applying to them are boosted. */
  codes?: string[];
  k?: number;
}

export interface ScoredPassage extends Passage {
  score: number;
}

/** Port: the guideline index (BM25 by default, hybrid when embeddings are configured). */
export interface GuidelineIndex {
  /** SHA-256 over all passages: the corpus version recorded with every retrieval. */
  readonly corpusVersion: string;
  readonly size: number;
  search(query: RetrievalQuery): Promise<ScoredPassage[]>;
  get(chunkId: string): Passage | undefined;
}
