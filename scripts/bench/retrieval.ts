// Prints guideline index build time and p50/p95 BM25 query latency over the labelled queries.
// Usage: node --import tsx scripts/bench/retrieval.ts [--rounds N]
import { parseArgs } from 'node:util';
import { BUNDLED_GUIDELINES_DIR, loadCorpus } from '../../src/guidelines/adapters/corpus-files.ts';
import { readQuerySet } from '../../src/guidelines/adapters/query-set-file.ts';
import { Bm25GuidelineIndex } from '../../src/guidelines/bm25-index.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '20' },
    queries: { type: 'string', default: 'eval/retrieval-queries.json' },
  },
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const t0 = performance.now();
const corpus = await loadCorpus([BUNDLED_GUIDELINES_DIR]);
const t1 = performance.now();
const index = Bm25GuidelineIndex.build(corpus.passages, corpus.corpusVersion);
const t2 = performance.now();
const json = JSON.stringify(index.toJSON());
const t3 = performance.now();
Bm25GuidelineIndex.fromJSON(JSON.parse(json), corpus.passages, corpus.corpusVersion);
const t4 = performance.now();

const queries = await readQuerySet(values.queries!);
// Warm up the JIT so the numbers describe a running server, not a cold start.
for (const q of queries) index.rank({ text: q.text, topics: q.topics, codes: q.codes }, 5);
const times: number[] = [];
for (let r = 0; r < Number(values.rounds); r++) {
  for (const q of queries) {
    const s = performance.now();
    await index.search({ text: q.text, topics: q.topics, codes: q.codes, k: 5 });
    times.push(performance.now() - s);
  }
}
times.sort((a, b) => a - b);
const ms = (x: number) => `${x.toFixed(2)} ms`;
console.log(`corpus         ${corpus.documents.length} documents, ${corpus.passages.length} passages`);
console.log(`load corpus    ${ms(t1 - t0)}`);
console.log(`build index    ${ms(t2 - t1)}`);
console.log(`serialise      ${ms(t3 - t2)} (${(json.length / 1024).toFixed(0)} KiB)`);
console.log(`load from JSON ${ms(t4 - t3)}`);
console.log(`queries        ${times.length}`);
console.log(`p50            ${ms(percentile(times, 50))}`);
console.log(`p95            ${ms(percentile(times, 95))}`);
console.log(`max            ${ms(times.at(-1)!)}`);
