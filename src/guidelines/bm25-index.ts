// The default GuidelineIndex adapter: BM25 (MiniSearch's BM25+) over title, section, topics and
// text, with synonym markers on both sides, boosted by the patient's codes and the finding's topics.
import MiniSearch, { type Options, type SearchOptions } from 'minisearch';
import { processTerm, tokenize } from './analyzer.ts';
import { withSynonyms } from './synonyms.ts';
import type { GuidelineIndex, Passage, RetrievalQuery, ScoredPassage } from './types.ts';

type Field = 'title' | 'section' | 'topics' | 'text';

const FIELDS: Field[] = ['title', 'section', 'topics', 'text'];

/** Field weights: a title or heading match says more about a passage than a body match. */
export const FIELD_BOOSTS: Record<Field, number> = { title: 2, section: 2, topics: 1.5, text: 1 };

/** Multiplier per shared topic / per shared code, each capped at two matches. */
export const TOPIC_BOOST = 0.4;
export const CODE_BOOST = 0.5;

export const DEFAULT_K = 5;

function fieldText(p: Passage, field: Field): string {
  switch (field) {
    case 'title':
      return p.title;
    case 'section':
      return p.section;
    case 'topics':
      return p.topics.map((t) => t.replace(/-/g, ' ')).join(' ');
    case 'text':
      return p.text;
  }
}

const MINISEARCH_OPTIONS: Options<Passage> = {
  idField: 'chunkId',
  fields: FIELDS,
  extractField: (doc, field) =>
    field === 'chunkId' ? doc.chunkId : withSynonyms(fieldText(doc, field as Field)),
  tokenize: (text) => tokenize(text),
  processTerm: (term) => processTerm(term),
};

/** The words a query searches for: its text, plus its topics spelled as words. */
export function queryText(query: RetrievalQuery): string {
  const topicWords = (query.topics ?? []).map((t) => t.replace(/-/g, ' '));
  return [query.text, ...topicWords].filter((s) => s.trim() !== '').join(' ');
}

/** How much a passage's declared topics and codes match the query's; 1 when nothing is shared. */
export function contextBoost(p: Passage, query: RetrievalQuery): number {
  const topics = query.topics?.length ? p.topics.filter((t) => query.topics!.includes(t)).length : 0;
  const codes = query.codes?.length ? p.codes.filter((c) => query.codes!.includes(c)).length : 0;
  return 1 + TOPIC_BOOST * Math.min(topics, 2) + CODE_BOOST * Math.min(codes, 2);
}

export class Bm25GuidelineIndex implements GuidelineIndex {
  readonly mode = 'bm25' as const;
  private readonly byId: Map<string, Passage>;

  private constructor(
    private readonly search_: MiniSearch<Passage>,
    readonly passages: readonly Passage[],
    readonly corpusVersion: string,
  ) {
    this.byId = new Map(passages.map((p) => [p.chunkId, p]));
  }

  static build(passages: readonly Passage[], corpusVersion: string): Bm25GuidelineIndex {
    const ms = new MiniSearch<Passage>(MINISEARCH_OPTIONS);
    ms.addAll(passages as Passage[]);
    return new Bm25GuidelineIndex(ms, passages, corpusVersion);
  }

  /** Restores an index serialised by `toJSON` for exactly these passages. */
  static fromJSON(json: unknown, passages: readonly Passage[], corpusVersion: string): Bm25GuidelineIndex {
    const ms = MiniSearch.loadJS<Passage>(json as never, MINISEARCH_OPTIONS);
    if (ms.documentCount !== passages.length) throw new Error('cached index does not match the corpus');
    return new Bm25GuidelineIndex(ms, passages, corpusVersion);
  }

  toJSON(): object {
    return this.search_.toJSON();
  }

  get size(): number {
    return this.passages.length;
  }

  get(chunkId: string): Passage | undefined {
    return this.byId.get(chunkId);
  }

  async search(query: RetrievalQuery): Promise<ScoredPassage[]> {
    return this.rank(query, query.k ?? DEFAULT_K);
  }

  /** Synchronous ranking; the hybrid adapter fuses a longer list of these. */
  rank(query: RetrievalQuery, limit: number): ScoredPassage[] {
    const text = queryText(query);
    if (text === '') return [];
    const options: SearchOptions = {
      boost: FIELD_BOOSTS,
      combineWith: 'OR',
      prefix: false,
      // Typos in long clinical words ("fibrilation") still match; markers and short terms never fuzz.
      fuzzy: (term) => (term.length >= 8 && !term.startsWith('zsyn') ? 0.15 : false),
      boostDocument: (id) => {
        const p = this.byId.get(id as string);
        return p ? contextBoost(p, query) : 1;
      },
    };
    const hits = this.search_.search(withSynonyms(text), options);
    const out: ScoredPassage[] = [];
    for (const hit of hits.slice(0, limit)) {
      const p = this.byId.get(hit.id as string);
      if (p) out.push({ ...p, score: hit.score });
    }
    return out;
  }
}
