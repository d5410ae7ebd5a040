import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUNDLED_GUIDELINES_DIR, loadCorpus } from '../../src/guidelines/adapters/corpus-files.ts';
import { createGuidelineIndexWithCorpus } from '../../src/guidelines/adapters/create-guideline-index.ts';
import { Bm25GuidelineIndex } from '../../src/guidelines/bm25-index.ts';
import { sha256 } from '../../src/guidelines/corpus.ts';
import type { Passage } from '../../src/guidelines/types.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'citecare-search-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function passage(chunkId: string, text: string, extra: Partial<Passage> = {}): Passage {
  const [documentId, section] = chunkId.split('#') as [string, string];
  return {
    chunkId,
    documentId,
    title: 'Local protocol',
    issuer: 'Example Hospital',
    year: 2025,
    url: 'https://example.org/p',
    section,
    text,
    topics: [],
    codes: [],
    contentHash: sha256(text),
    ...extra,
  };
}

const ids = (hits: Array<{ chunkId: string }>) => hits.map((h) => h.chunkId);

describe('clinical synonyms and abbreviations', () => {
  const index = Bm25GuidelineIndex.build(
    [
      passage('doc-a#rate', 'In AF the ventricular rate is controlled first.'),
      passage('doc-b#rhythm', 'Atrial fibrillation of recent onset may be cardioverted.'),
      passage('doc-c#potassium', 'A serum potassium above 6.0 needs an ECG.'),
      passage('doc-d#sats', 'Keep the oxygen saturation between 94 and 98 percent.'),
      passage('doc-e#kidney', 'Acute kidney injury is staged by creatinine.'),
      passage('doc-f#pain', 'Ibuprofen is avoided after the operation.'),
    ],
    'v1',
  );

  it('finds "atrial fibrillation" and "AF" passages from "AFib", and both from either spelling', async () => {
    assert.deepEqual(ids(await index.search({ text: 'AFib' })).sort(), ['doc-a#rate', 'doc-b#rhythm']);
    assert.deepEqual(ids(await index.search({ text: 'atrial fibrillation' })).sort(), [
      'doc-a#rate',
      'doc-b#rhythm',
    ]);
    assert.deepEqual(ids(await index.search({ text: 'af' })).sort(), ['doc-a#rate', 'doc-b#rhythm']);
  });

  it('maps K+, SpO2, AKI and NSAID to the words guidelines use', async () => {
    assert.equal(ids(await index.search({ text: 'K+ 6.4' }))[0], 'doc-c#potassium');
    assert.equal(ids(await index.search({ text: 'SpO2 target' }))[0], 'doc-d#sats');
    assert.equal(ids(await index.search({ text: 'AKI' }))[0], 'doc-e#kidney');
    assert.equal(ids(await index.search({ text: 'NSAIDs' }))[0], 'doc-f#pain');
  });

  it('does not treat "vitamin K" as potassium', async () => {
    assert.deepEqual(ids(await index.search({ text: 'vitamin K' })), []);
  });
});

describe('boosting by patient codes and finding topics', () => {
  const text = 'Review the medicine list and adjust the dose.';
  const corpus = [
    passage('kidney-doc#dosing', text, {
      topics: ['renal-dosing'],
      codes: ['http://snomed.info/sct|709044004'],
    }),
    passage('liver-doc#dosing', text, {
      topics: ['drug-interaction'],
      codes: ['http://snomed.info/sct|13645005'],
    }),
  ];
  const index = Bm25GuidelineIndex.build(corpus, 'v1');

  it("ranks the passage that applies to the patient's codes first", async () => {
    const kidney = await index.search({
      text: 'adjust the dose',
      codes: ['http://snomed.info/sct|709044004'],
    });
    assert.equal(kidney[0]?.chunkId, 'kidney-doc#dosing');
    assert.ok(kidney[0]!.score > kidney[1]!.score);
    const copd = await index.search({ text: 'adjust the dose', codes: ['http://snomed.info/sct|13645005'] });
    assert.equal(copd[0]?.chunkId, 'liver-doc#dosing');
  });

  it("ranks the passage sharing the finding's topics first", async () => {
    const a = await index.search({ text: 'adjust the dose', topics: ['drug-interaction'] });
    assert.equal(a[0]?.chunkId, 'liver-doc#dosing');
    const b = await index.search({ text: 'adjust the dose', topics: ['renal-dosing'] });
    assert.equal(b[0]?.chunkId, 'kidney-doc#dosing');
  });

  it('changes the ranking on the bundled corpus too', async () => {
    const bundled = await loadCorpus([BUNDLED_GUIDELINES_DIR]);
    const idx = Bm25GuidelineIndex.build(bundled.passages, bundled.corpusVersion);
    const plain = await idx.search({ text: 'potassium 3.2 before insulin', k: 10 });
    const boosted = await idx.search({
      text: 'potassium 3.2 before insulin',
      k: 10,
      topics: ['dka'],
      codes: ['http://snomed.info/sct|420422005'],
    });
    assert.equal(boosted[0]?.chunkId, 'dka-hhs-treatment#potassium-before-and-during-insulin');
    assert.notDeepEqual(ids(plain), ids(boosted));
  });

  it('searches by topics alone when a finding has no query text', async () => {
    const hits = await index.search({ text: '', topics: ['renal-dosing'] });
    assert.equal(hits[0]?.chunkId, 'kidney-doc#dosing');
    assert.deepEqual(await index.search({ text: '  ' }), []);
  });
});

describe('index cache', () => {
  let cacheDir: string;
  before(() => {
    cacheDir = tempDir();
  });

  it('writes a cache keyed by the corpus version and answers identically from it', async () => {
    const first = await createGuidelineIndexWithCorpus({
      dirs: [BUNDLED_GUIDELINES_DIR],
      cacheDir,
      cache: 'read-write',
    });
    assert.equal(first.cache?.hit, false);
    assert.equal(first.cache?.written, true);
    assert.ok(existsSync(first.cache!.file));
    assert.match(first.cache!.file, /guidelines-index-[0-9a-f]{24}\.json$/);

    const second = await createGuidelineIndexWithCorpus({
      dirs: [BUNDLED_GUIDELINES_DIR],
      cacheDir,
      cache: 'read-write',
    });
    assert.equal(second.cache?.hit, true);
    assert.equal(second.cache?.written, false);
    const q = { text: 'metformin eGFR 28', k: 5 };
    assert.deepEqual(await second.index.search(q), await first.index.search(q));
  });

  it('ignores a cache written for another corpus or a corrupt one', async () => {
    const docs = tempDir();
    const body = (n: string) =>
      `---\nid: local-doc\ntitle: T\nissuer: I\nyear: 2025\nurl: https://example.org\nreviewed: 2026-11-26\ntopics: [sepsis]\n---\n## S\n${n}\n`;
    writeFileSync(join(docs, 'local-doc.md'), body('First text.'));
    const a = await createGuidelineIndexWithCorpus({ dirs: [docs], cacheDir, cache: 'read-write' });
    writeFileSync(join(docs, 'local-doc.md'), body('Second text.'));
    const b = await createGuidelineIndexWithCorpus({ dirs: [docs], cacheDir, cache: 'read-write' });
    assert.notEqual(a.cache!.file, b.cache!.file);
    assert.equal(b.cache!.hit, false);

    writeFileSync(b.cache!.file, '{"not":"an index"');
    const warnings: string[] = [];
    const c = await createGuidelineIndexWithCorpus({
      dirs: [docs],
      cacheDir,
      cache: 'read',
      onWarning: (w) => warnings.push(w),
    });
    assert.equal(c.cache!.hit, false);
    assert.equal(c.cache!.written, false);
    assert.match(warnings.join('\n'), /ignoring unreadable guideline index cache/);
    assert.equal((await c.index.search({ text: 'second' }))[0]?.chunkId, 'local-doc#s');
    assert.ok(readdirSync(cacheDir).every((f) => !f.endsWith('.tmp')));
  });
});
