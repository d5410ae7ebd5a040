// Chooses and builds the GuidelineIndex adapter: BM25 always, hybrid when an embedding endpoint
// is configured and answers. The corpus is read at every start (it is small); the built index and
// the passage vectors are cached under a key made of the corpus version and the analyzer, so a
// changed file, synonym or model never reuses a stale cache.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../../config.ts';
import { OpenAIEmbedder } from '../../llm/openai-embedder.ts';
import { ANALYZER_FINGERPRINT } from '../analyzer.ts';
import { Bm25GuidelineIndex } from '../bm25-index.ts';
import { type Corpus, sha256 } from '../corpus.ts';
import type { Embedder } from '../embedder.ts';
import { HybridGuidelineIndex } from '../hybrid-index.ts';
import type { GuidelineIndex, Passage } from '../types.ts';
import { BUNDLED_GUIDELINES_DIR, type LoadProgress, loadCorpus } from './corpus-files.ts';
import { readIndexCache, writeIndexCache } from './index-cache.ts';

export interface GuidelineIndexOptions {
  /** Folders to load, bundled first, institutional after. */
  dirs: string[];
  /** An embedding endpoint: turns on hybrid retrieval. */
  embeddings?: {
    baseUrl: string;
    model: string;
    apiKey?: string;
    /** Per request while indexing. */
    timeoutMs?: number;
    /** Per query: past it, the search answers from BM25 alone. */
    queryTimeoutMs?: number;
  };
  /** Injected embedder (tests); wins over `embeddings`. */
  embedder?: Embedder;
  /** Folder for `guidelines-index-<key>.json`; no caching when absent. */
  cacheDir?: string;
  /** 'read' uses a matching cache but never writes one. */
  cache?: 'off' | 'read' | 'read-write';
  onProgress?: (p: LoadProgress) => void;
  onWarning?: (message: string) => void;
}

export interface LoadedGuidelineIndex extends GuidelineIndex {
  readonly mode: 'bm25' | 'hybrid';
  readonly passages: readonly Passage[];
}

export interface CreatedGuidelineIndex {
  index: LoadedGuidelineIndex;
  corpus: Corpus;
  /** The cache file consulted, whether it was used, and whether it was (re)written. */
  cache?: { file: string; hit: boolean; written: boolean };
}

const DEFAULT_GUIDELINES_DIR = 'guidelines';

export type GuidelineConfig = Pick<
  Config,
  'GUIDELINES_DIR' | 'GUIDELINES_EXTRA_DIR' | 'EMBEDDINGS_BASE_URL' | 'EMBEDDINGS_MODEL' | 'OPENAI_API_KEY'
>;

/** Options from the parsed configuration: bundled (or GUIDELINES_DIR) plus GUIDELINES_EXTRA_DIR. */
export function guidelineIndexOptions(
  config: GuidelineConfig,
  extra: Partial<GuidelineIndexOptions> = {},
): GuidelineIndexOptions {
  // Only the default relative folder falls back (the service may run from another directory); a
  // folder the operator named must exist, and loading reports it when it does not.
  const main = resolve(config.GUIDELINES_DIR);
  const usable = existsSync(main) && statSync(main).isDirectory();
  const base = usable || config.GUIDELINES_DIR !== DEFAULT_GUIDELINES_DIR ? main : BUNDLED_GUIDELINES_DIR;
  return {
    dirs: config.GUIDELINES_EXTRA_DIR ? [base, config.GUIDELINES_EXTRA_DIR] : [base],
    embeddings: config.EMBEDDINGS_BASE_URL
      ? { baseUrl: config.EMBEDDINGS_BASE_URL, model: config.EMBEDDINGS_MODEL, apiKey: config.OPENAI_API_KEY }
      : undefined,
    cacheDir: 'data',
    cache: 'read',
    ...extra,
  };
}

export function cacheKey(corpusVersion: string): string {
  return sha256(`${corpusVersion}|${ANALYZER_FINGERPRINT}`).slice(0, 24);
}

export async function createGuidelineIndexWithCorpus(
  options: GuidelineIndexOptions,
): Promise<CreatedGuidelineIndex> {
  const corpus = await loadCorpus(options.dirs, { onProgress: options.onProgress });
  const key = cacheKey(corpus.corpusVersion);
  const mode = options.cache ?? (options.cacheDir ? 'read-write' : 'off');
  const file =
    options.cacheDir && mode !== 'off' ? join(options.cacheDir, `guidelines-index-${key}.json`) : undefined;
  const cached = file ? readIndexCache(file, key, options.onWarning) : undefined;

  let bm25: Bm25GuidelineIndex | undefined;
  if (cached) {
    try {
      bm25 = Bm25GuidelineIndex.fromJSON(cached.index, corpus.passages, corpus.corpusVersion);
    } catch (err) {
      options.onWarning?.(`ignoring guideline index cache ${file}: ${(err as Error).message}`);
    }
  }
  const hit = bm25 !== undefined;
  bm25 ??= Bm25GuidelineIndex.build(corpus.passages, corpus.corpusVersion);

  const embedder =
    options.embedder ??
    (options.embeddings
      ? new OpenAIEmbedder({ ...options.embeddings, timeoutMs: options.embeddings.timeoutMs ?? 10_000 })
      : undefined);
  let index: LoadedGuidelineIndex = bm25;
  let vectors =
    embedder && cached?.embeddings?.embedder === embedder.id ? cached.embeddings.vectors : undefined;
  let freshVectors = false;
  if (embedder && !vectors) {
    try {
      const embedded = await embedder.embed(
        corpus.passages.map((p) => `${p.title}. ${p.section}. ${p.text}`),
      );
      vectors = Object.fromEntries(corpus.passages.map((p, i) => [p.chunkId, embedded[i]!]));
      freshVectors = true;
    } catch (err) {
      options.onWarning?.(`guideline embeddings unavailable, using BM25 only: ${(err as Error).message}`);
    }
  }
  if (embedder && vectors) {
    index = new HybridGuidelineIndex(bm25, embedder, new Map(Object.entries(vectors)), {
      onWarning: options.onWarning,
      queryTimeoutMs: options.embeddings?.queryTimeoutMs,
    });
  }

  let written = false;
  if (file && mode === 'read-write' && (!hit || freshVectors)) {
    written = writeIndexCache(file, {
      key,
      corpusVersion: corpus.corpusVersion,
      index: bm25.toJSON() as Record<string, unknown>,
      embeddings: embedder && vectors ? { embedder: embedder.id, vectors } : undefined,
    });
  }
  return { index, corpus, cache: file ? { file, hit, written } : undefined };
}

/** The GuidelineIndex for the given folders (and embedding endpoint, when configured). */
export async function createGuidelineIndex(options: GuidelineIndexOptions): Promise<LoadedGuidelineIndex> {
  return (await createGuidelineIndexWithCorpus(options)).index;
}
