// Each finding's first citation comes from the guideline passage that supports it: a representative
// vignette per finding (and per variant whose advice differs) goes through assess and the pipeline's
// retrieval with the bundled corpus, and the cited chunk id must be the one listed here.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assess } from '../../src/clinical/assess/assess.ts';
import { FINDING_IDS } from '../../src/clinical/rules/index.ts';
import type { ClinicalSnapshot } from '../../src/clinical/types.ts';
import { testConfig } from '../../src/config.ts';
import {
  createGuidelineIndex,
  guidelineIndexOptions,
  type LoadedGuidelineIndex,
} from '../../src/guidelines/create-guideline-index.ts';
import { type RetrievalResult, retrieveForAssessment } from '../../src/pipeline/retrieve.ts';
import { readManifest, vignetteSnapshot } from '../fixtures/vignettes/manifest.ts';
import { AT, snapshot } from './clinical-test-helpers.ts';

const manifest = { vignettes: readManifest() };

/** Vignette → finding id → the chunk id its first citation must have. */
const EXPECTED: Record<string, Record<string, string>> = {
  // qSOFA 3 / NEWS2 12: sepsis likely, so the one-hour antimicrobial passage.
  'adult-sepsis-pneumonia.json': {
    'sepsis-screen': 'sepsis-antimicrobial-timing#septic-shock-or-probable-sepsis',
    'news2-escalation': 'news2-escalation#score-7-or-more',
  },
  'septic-shock-lactate.json': {
    'sepsis-screen': 'sepsis-antimicrobial-timing#septic-shock-or-probable-sepsis',
  },
  // A positive screen without shock must not cite a septic-shock or lactate passage.
  'provisional-pneumonia.json': {
    'sepsis-screen': 'sepsis-antimicrobial-timing#possible-sepsis-without-shock',
    'news2-escalation': 'news2-escalation#score-5-to-6',
  },
  'elderly-confusion-uti.json': {
    'sepsis-screen': 'sepsis-antimicrobial-timing#possible-sepsis-without-shock',
  },
  'gcs-8.json': { 'news2-escalation': 'news2-escalation#single-parameter-scoring-3' },
  'hypoglycaemia-level2.json': { hypoglycaemia: 'hypoglycaemia-levels#level-2-hypoglycaemia' },
  'hypoglycaemia-mmol-level1.json': { hypoglycaemia: 'hypoglycaemia-levels#level-1-hypoglycaemia' },
  'hyperkalaemia-severe.json': { hyperkalaemia: 'hyperkalaemia#ecg' },
  'hyperkalaemia-mild-blood.json': { hyperkalaemia: 'hyperkalaemia#severity-bands' },
  'head-injury-warfarin.json': {
    'head-injury-anticoagulant': 'head-injury-anticoagulants#anticoagulants-and-antiplatelets',
  },
  'aki-creatinine-rise.json': { 'aki-creatinine-rise': 'kdigo-aki-staging#stage-1' },
  'metformin-egfr-below-30.json': { 'metformin-renal': 'metformin-egfr#egfr-below-30' },
  'metformin-draft-egfr-40.json': { 'metformin-renal': 'metformin-egfr#egfr-30-to-45' },
  'nsaid-draft-ckd.json': { 'nsaid-renal': 'nsaids-ckd-heart-failure#kidney-disease' },
  'renal-dose-nitrofurantoin.json': { 'renal-dose': 'renal-drug-dosing#drugs-to-avoid-at-low-clearance' },
  'afib-no-anticoagulant.json': {
    'afib-anticoagulation': 'afib-anticoagulation#anticoagulation-recommended',
  },
  'penicillin-allergy-amoxicillin.json': { 'drug-allergy': 'penicillin-allergy#risk-tiers' },
  'penicillin-allergy-cephalosporin.json': {
    'drug-allergy': 'penicillin-allergy#cross-reactivity-with-cephalosporins',
  },
  'ddi-ssri-maoi.json': {
    'drug-interaction': 'high-priority-drug-interactions#mao-inhibitor-interactions',
  },
  'ddi-qt-pair.json': { 'drug-interaction': 'qt-prolongation#alerting' },
  'warfarin-nsaid.json': { 'drug-interaction': 'warfarin-interactions#additive-bleeding-risk' },
  'beers-diphenhydramine.json': {
    'beers-criteria': 'beers-criteria#hypoglycaemia-and-anticholinergic-drugs',
  },
};

const draft = (name: string, classes: string[]) => ({
  ingredients: [name],
  classes,
  display: name,
  draft: true,
});
const current = (name: string, classes: string[]) => ({ ingredients: [name], classes, display: name });
const dayBefore = new Date(Date.parse(AT) - 24 * 3_600_000).toISOString();

/** Variants whose advice differs from the vignette's, built with the unit-test snapshot helper. */
const VARIANTS: Array<{ name: string; snapshot: ClinicalSnapshot; id: string; chunkId: string }> = [
  {
    name: 'NSAID ordered in heart failure',
    snapshot: snapshot({ conditions: ['Heart failure'], medications: [draft('ibuprofen', ['nsaid'])] }),
    id: 'nsaid-renal',
    chunkId: 'nsaids-ckd-heart-failure#heart-failure',
  },
  {
    name: 'apixaban ordered with eGFR below 30 (not on the corpus avoid list)',
    snapshot: snapshot({
      ageYears: 80,
      labs: { creatinine: 2.2 },
      medications: [draft('apixaban', ['anticoagulant', 'renally-cleared'])],
    }),
    id: 'renal-dose',
    chunkId: 'renal-drug-dosing#which-kidney-measure-to-use',
  },
  {
    name: 'fluconazole ordered with warfarin',
    snapshot: snapshot({
      medications: [current('warfarin', ['anticoagulant']), draft('fluconazole', [])],
    }),
    id: 'drug-interaction',
    chunkId: 'warfarin-interactions#drugs-that-raise-the-inr',
  },
  {
    name: 'benzodiazepine ordered at 80',
    snapshot: snapshot({ ageYears: 80, medications: [draft('lorazepam', ['benzodiazepine'])] }),
    id: 'beers-criteria',
    chunkId: 'beers-criteria#sedatives-and-other-drugs-to-avoid',
  },
  {
    name: 'opioid ordered with a current benzodiazepine at 80',
    snapshot: snapshot({
      ageYears: 80,
      medications: [current('alprazolam', ['benzodiazepine']), draft('oxycodone', ['opioid'])],
    }),
    id: 'beers-criteria',
    chunkId: 'beers-criteria#drug-drug-interactions-to-avoid',
  },
  {
    name: 'creatinine 1.0 → 4.5 mg/dL in a day',
    snapshot: (() => {
      const s = snapshot({ labs: { creatinine: 4.5 } });
      const series = s.labs.creatinine;
      if (series) series.history = [{ value: 1.0, unit: 'mg/dL', at: dayBefore, source: 'Observation/cr-1' }];
      return s;
    })(),
    id: 'aki-creatinine-rise',
    chunkId: 'kdigo-aki-staging#stage-3',
  },
];

/** Findings the bundled corpus has no passage for (reported; a citation for them is a best effort). */
const NO_PASSAGE_IN_CORPUS = ['duplicate-therapy'];

let index: LoadedGuidelineIndex;

async function retrieve(file: string): Promise<RetrievalResult> {
  const v = manifest.vignettes.find((x) => x.file === file);
  assert.ok(v, `${file} is in the manifest`);
  const { snapshot } = await vignetteSnapshot(v);
  return retrieveForAssessment(index, snapshot, assess(snapshot), undefined);
}

describe('pipeline citations: each finding cites its own passage', () => {
  before(async () => {
    index = await createGuidelineIndex(guidelineIndexOptions(testConfig(), { cache: 'off' }));
  });

  test('every finding id has an expected passage, or is listed as missing from the corpus', () => {
    const covered = new Set(Object.values(EXPECTED).flatMap((byId) => Object.keys(byId)));
    for (const id of FINDING_IDS) {
      assert.ok(covered.has(id) || NO_PASSAGE_IN_CORPUS.includes(id), `${id} has an expected citation`);
    }
    for (const chunkId of Object.values(EXPECTED).flatMap((byId) => Object.values(byId)))
      assert.ok(index.get(chunkId), `${chunkId} exists in the bundled corpus`);
  });

  for (const [file, byId] of Object.entries(EXPECTED)) {
    test(`${file}: ${Object.keys(byId).join(', ')}`, async () => {
      const { findings } = await retrieve(file);
      for (const [id, chunkId] of Object.entries(byId)) {
        const f = findings.find((x) => x.id === id);
        assert.ok(f, `${id} fires for ${file} (got ${findings.map((x) => x.id).join(', ')})`);
        const first = f.citations[0];
        assert.ok(first, `${id} has a citation`);
        assert.equal(first.chunkId, chunkId, `${id}: query "${f.query}" topics ${f.topics.join(',')}`);
        const passage = index.get(first.chunkId);
        assert.ok(passage?.text.includes(first.quote), `the quote is an exact substring of ${chunkId}`);
      }
    });
  }

  test('a finding the corpus does not cover cites nothing rather than a near miss', async () => {
    for (const [file, id] of [
      ['sulfonamide-allergy-cotrimoxazole.json', 'drug-allergy'],
      ['duplicate-nsaid.json', 'duplicate-therapy'],
    ]) {
      const { findings } = await retrieve(file);
      const f = findings.find((x) => x.id === id);
      assert.ok(f, `${id} fires for ${file}`);
      assert.deepEqual(f.citations, [], `${id} in ${file} cites ${f.citations[0]?.chunkId}`);
    }
  });

  for (const v of VARIANTS) {
    test(`variant: ${v.name} → ${v.chunkId}`, async () => {
      const { findings } = await retrieveForAssessment(index, v.snapshot, assess(v.snapshot), undefined);
      const f = findings.find((x) => x.id === v.id);
      assert.ok(f, `${v.id} fires (got ${findings.map((x) => x.id).join(', ')})`);
      assert.equal(f.citations[0]?.chunkId, v.chunkId, `query "${f.query}"`);
    });
  }

  test('a sepsis screen without shock cites neither the septic-shock nor the lactate passages', async () => {
    for (const file of ['provisional-pneumonia.json', 'elderly-confusion-uti.json']) {
      const { findings } = await retrieve(file);
      const cited = findings.find((f) => f.id === 'sepsis-screen')?.citations[0]?.chunkId ?? '';
      assert.ok(!/septic-shock|lactate/.test(cited), `${file}: ${cited}`);
    }
  });
});
