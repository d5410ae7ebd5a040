import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { TOPICS } from '../../src/clinical/topics.ts';
import { BUNDLED_GUIDELINES_DIR, loadCorpus } from '../../src/guidelines/adapters/corpus-files.ts';
import { readQuerySet } from '../../src/guidelines/adapters/query-set-file.ts';
import { Bm25GuidelineIndex } from '../../src/guidelines/bm25-index.ts';
import type { Corpus } from '../../src/guidelines/corpus.ts';
import { evaluateRetrieval } from '../../src/guidelines/evaluate.ts';
import { GUIDELINE_CODE_SYSTEMS } from '../../src/guidelines/front-matter.ts';

let corpus: Corpus;
before(async () => {
  corpus = await loadCorpus([BUNDLED_GUIDELINES_DIR]);
});

// Topics the brief requires the bundled corpus to cover.
const REQUIRED_TOPICS = [
  'sepsis',
  'lactate',
  'news2',
  'qsofa',
  'sirs',
  'esi-triage',
  'danger-zone-vitals',
  'paediatric-vitals',
  'stroke',
  'chest-pain',
  'hypertension',
  'hypertensive-emergency',
  'pregnancy-hypertension',
  'afib-anticoagulation',
  'bleeding-risk',
  'ckd',
  'aki',
  'renal-dosing',
  'metformin',
  'egfr',
  'nsaid',
  'hyperkalaemia',
  'hypoglycaemia',
  'dka',
  'anaphylaxis',
  'penicillin-allergy',
  'opioid-overdose',
  'oxygen-targets',
  'head-injury',
  'anticoagulant-reversal',
  'asthma',
  'copd',
  'pneumonia',
  'pulmonary-embolism',
  'suicide-risk',
  'beers-criteria',
  'drug-interaction',
  'qt-prolongation',
  'warfarin',
  'serotonin-syndrome',
  'shock',
  'transparency',
];

describe('bundled guideline corpus', () => {
  it('has at least 40 documents, one per Markdown file', () => {
    const files = readdirSync(BUNDLED_GUIDELINES_DIR).filter((f) => f.endsWith('.md') && f !== 'README.md');
    assert.ok(corpus.documents.length >= 40, `only ${corpus.documents.length} documents`);
    assert.equal(corpus.documents.length, files.length);
  });

  it('gives every document the required fields and a paraphrase note', () => {
    const systems: string[] = Object.values(GUIDELINE_CODE_SYSTEMS);
    for (const d of corpus.documents) {
      assert.match(d.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(d.file.endsWith(`${d.id}.md`), d.file);
      assert.ok(d.title.length > 0 && d.issuer.length > 0, d.id);
      assert.ok(Number.isInteger(d.year) && d.year >= 1970 && d.year <= 2026, `${d.id} year ${d.year}`);
      assert.match(d.url, /^https:\/\//, d.id);
      // Reviewed at the corpus review (2026-11-26) or later, never in the future.
      assert.ok(d.reviewed >= '2026-11-26' && d.reviewed <= new Date().toISOString().slice(0, 10), d.id);
      assert.ok(d.topics.length > 0, d.id);
      assert.match(d.note ?? '', /paraphrase/, `${d.id} lacks a paraphrase note`);
      for (const c of d.codes) assert.ok(systems.includes(c.slice(0, c.lastIndexOf('|'))), `${d.id}: ${c}`);
      assert.ok(d.passages.length >= 1, d.id);
    }
  });

  it('uses only topics from the shared vocabulary, and covers every required topic', () => {
    const used = new Set<string>(corpus.documents.flatMap((d) => d.topics));
    for (const t of used) assert.ok((TOPICS as readonly string[]).includes(t), `unknown topic ${t}`);
    const missing = REQUIRED_TOPICS.filter((t) => !used.has(t));
    assert.deepEqual(missing, []);
  });

  it('keeps passages short enough to quote', () => {
    for (const p of corpus.passages) {
      assert.ok(p.text.length <= 900, `${p.chunkId} is ${p.text.length} characters`);
    }
  });

  it('reaches recall@5 of at least 0.9 with BM25 alone on the labelled queries', async () => {
    const queries = await readQuerySet('eval/retrieval-queries.json');
    assert.ok(queries.length >= 60, `only ${queries.length} labelled queries`);
    const index = Bm25GuidelineIndex.build(corpus.passages, corpus.corpusVersion);
    for (const q of queries)
      for (const id of q.relevant) assert.ok(index.get(id), `${q.id} labels unknown ${id}`);
    const result = await evaluateRetrieval(index, queries, 5);
    assert.ok(result.recallAtK >= 0.9, `recall@5 ${result.recallAtK.toFixed(3)}`);
    assert.ok(result.mrr >= 0.75, `MRR ${result.mrr.toFixed(3)}`);
  });
});
