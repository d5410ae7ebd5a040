// Prints recall@5 and MRR of BM25 retrieval on eval/retrieval-queries.json.
// Usage: node --import tsx scripts/eval-retrieval.ts [--k N] [--queries FILE] [--verbose]
import { parseArgs } from 'node:util';
import { BUNDLED_GUIDELINES_DIR, loadCorpus } from '../src/guidelines/adapters/corpus-files.ts';
import { readQuerySet } from '../src/guidelines/adapters/query-set-file.ts';
import { Bm25GuidelineIndex } from '../src/guidelines/bm25-index.ts';
import { evaluateRetrieval } from '../src/guidelines/evaluate.ts';

const { values } = parseArgs({
  options: {
    k: { type: 'string', default: '5' },
    queries: { type: 'string', default: 'eval/retrieval-queries.json' },
    dir: { type: 'string', default: BUNDLED_GUIDELINES_DIR },
    verbose: { type: 'boolean', default: false },
  },
});

const corpus = await loadCorpus([values.dir!]);
const index = Bm25GuidelineIndex.build(corpus.passages, corpus.corpusVersion);
const queries = await readQuerySet(values.queries!);
const unknown = queries.flatMap((q) =>
  q.relevant.filter((id) => !index.get(id)).map((id) => `${q.id}: ${id}`),
);
if (unknown.length > 0) {
  console.error(`labels name chunks that do not exist:\n  ${unknown.join('\n  ')}`);
  process.exit(1);
}
const result = await evaluateRetrieval(index, queries, Number(values.k));
for (const o of result.outcomes) {
  if (o.recall < 1 || values.verbose) {
    console.log(
      `${o.recall < 1 ? 'MISS' : 'ok  '} ${o.id}: missing ${o.missing.join(', ') || '-'}; top ${o.top.join(', ')}`,
    );
  }
}
console.log(`queries   ${result.queries}`);
console.log(`recall@${result.k}  ${result.recallAtK.toFixed(3)}`);
console.log(`MRR       ${result.mrr.toFixed(3)}`);
console.log(
  `corpus    ${corpus.documents.length} documents, ${corpus.passages.length} passages, ${corpus.corpusVersion.slice(0, 12)}`,
);
