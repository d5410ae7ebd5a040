import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resource } from '@medplum/fhirtypes';
import { assess } from '../../src/clinical/assess/assess.ts';
import { GAP_PASSAGES } from '../../src/clinical/care-gaps/care-gaps.ts';
import {
  citedPassages,
  DrugTableError,
  parseDrugTable,
} from '../../src/clinical/medication-review/drug-table.ts';
import { buildSnapshot } from '../../src/clinical/snapshot/build.ts';
import type { Finding } from '../../src/clinical/types.ts';
import { testConfig } from '../../src/config.ts';
import { createGuidelineIndex, guidelineIndexOptions } from '../../src/guidelines/create-guideline-index.ts';
import { DEFAULT_DRUG_TABLE, loadDrugTable } from '../../src/knowledge/drug-table-file.ts';
import { AT, CASES, K, med, patient } from '../fixtures/chart-review/cases.ts';

const table = await loadDrugTable();

function review(resources: Resource[], drafts?: Resource[]): Finding[] {
  const s = buildSnapshot(resources, { at: AT, ...(drafts ? { draftOrders: drafts } : {}) });
  return assess(s, { review: { table, scope: drafts ? 'drafts' : 'chart' } }).findings;
}

describe('chart review worked cases', () => {
  for (const c of CASES) {
    it(`${c.alerts ? 'alerts' : 'stays quiet'}: ${c.name}`, () => {
      const findings = review(c.resources, c.drafts);
      const lines = findings.filter((f) => f.review);
      const hit = lines.filter((f) => f.review?.rule === c.rule);
      if (c.alerts) {
        assert.equal(
          hit.length,
          1,
          `expected one ${c.rule} line, got ${lines.map((f) => f.review?.rule).join(', ')}`,
        );
        const line = hit[0]!;
        assert.ok(line.passage, 'every line names its passage');
        assert.ok(line.review?.evidenceText.length, 'every line has readable evidence');
        assert.doesNotMatch(
          line.review!.evidenceText,
          /MedicationRequest\/|Observation\//,
          'no raw resource ids',
        );
        if (c.drafts) {
          assert.deepEqual(
            line.suggestions.map((s) => s.action),
            ['remove-draft-order'],
          );
          assert.equal(line.suggestions[0]?.targetRef, `MedicationRequest/${c.drafts[0]!.id}`);
        }
      } else {
        assert.equal(hit.length, 0, `control raised ${hit.map((f) => f.summary).join(' | ')}`);
        if (lines.every((f) => f.review?.group === 'medication-review') || c.drafts)
          assert.equal(lines.filter((f) => f.review?.group === 'medication-review').length, 0);
      }
    });
  }

  it('says "check the daily dose" when the dosage is missing, and states the dose when it is known', () => {
    const missing = CASES.find((c) => c.name === 'simvastatin 20 mg with verapamil, no dosage')!;
    const known = CASES.find((c) => c.name === 'simvastatin 10 mg twice daily with diltiazem')!;
    assert.match(review(missing.resources).find((f) => f.review)!.summary, /check the daily dose/);
    assert.match(review(known.resources).find((f) => f.review)!.summary, /20 mg a day/);
  });

  it('on an order hook alerts only on combinations with the draft order', () => {
    const findings = review(
      [patient(70), med('Digoxin 0.125 MG Oral Tablet'), med('Verapamil Hydrochloride 40 MG'), K(4.1)],
      [med('Naproxen sodium 220 MG Oral Tablet', { draft: true })],
    );
    const rules = findings.filter((f) => f.review).map((f) => f.review!.rule);
    assert.deepEqual(rules, ['beers-nsaid']);
  });

  it('does not repeat a pair the existing order rule already raised', () => {
    const findings = review(
      [patient(50), med('Warfarin Sodium 5 MG Oral Tablet', { code: '855332' })],
      [med('Clopidogrel 75 MG Oral Tablet', { code: '309362', draft: true })],
    );
    assert.equal(findings.filter((f) => f.id === 'drug-interaction').length, 1);
    assert.equal(findings.filter((f) => f.review).length, 0);
  });

  it('runs no review when the caller does not ask for one (encounter-start, SMART)', () => {
    const s = buildSnapshot(CASES[0]!.resources, { at: AT });
    assert.equal(assess(s).findings.filter((f) => f.review).length, 0);
  });
});

describe('drug table', () => {
  it('loads, is versioned, and every passage it cites is in the bundled corpus', async () => {
    assert.match(table.version, /\d/);
    const index = await createGuidelineIndex(guidelineIndexOptions(testConfig(), { cache: 'off' }));
    for (const p of [...citedPassages(table), ...Object.values(GAP_PASSAGES)])
      assert.ok(index.get(p), `passage ${p} is not in the corpus`);
  });

  it('refuses a table whose rule names a class no ingredient has', () => {
    const bad = structuredClone(table);
    bad.interactions[0]!.b = { classes: ['no-such-class'] };
    assert.throws(
      () => parseDrugTable(bad),
      (e: Error) => e instanceof DrugTableError && /no-such-class/.test(e.message),
    );
  });

  it('refuses a file that is not a table', async () => {
    await assert.rejects(loadDrugTable(`${DEFAULT_DRUG_TABLE}.missing`), DrugTableError);
    assert.throws(() => parseDrugTable({ version: '1' }), DrugTableError);
  });
});

describe('dose text', () => {
  it('prints milligrams without a trailing point and with at most three decimals', async () => {
    const { mgText } = await import('../../src/clinical/medication-review/review-meds.ts');
    assert.equal(mgText(20), '20 mg');
    assert.equal(mgText(2.5), '2.5 mg');
    assert.equal(mgText(2.0001), '2 mg');
    assert.equal(mgText(0.125), '0.125 mg');
  });
});
