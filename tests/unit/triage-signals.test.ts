// The structured signals the triage rules read: chemotherapy given in the last 6 weeks (from finished
// orders and administrations), high-dose steroids, the pain score, and the age bands of the gate.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Resource } from '@medplum/fhirtypes';
import { assess } from '../../src/clinical/assess/assess.ts';
import { buildSnapshot } from '../../src/clinical/snapshot/build.ts';
import { ageBandOf, triageSignals } from '../../src/clinical/triage/signals.ts';
import { AT, ago, obs, patient } from './clinical-snapshot-fixtures.ts';
import { NORMAL_VITALS, snapshot } from './clinical-test-helpers.ts';

const DAY = 24 * 60;
const carboplatin = (id: string, resourceType: string, status: string, minsAgo: number): Resource =>
  ({
    resourceType,
    id,
    status,
    subject: { reference: 'Patient/p1' },
    medicationCodeableConcept: { text: 'carboplatin 450 MG in 250 ML infusion' },
    ...(resourceType === 'MedicationRequest'
      ? { intent: 'order', authoredOn: ago(minsAgo) }
      : { effectiveDateTime: ago(minsAgo) }),
  }) as Resource;

describe('chemotherapy in the last 6 weeks', () => {
  const vitals = [obs('t', '8310-5', 38.4, 'Cel')];

  test('a completed order or an administration 3 weeks ago counts; 7 weeks ago does not', () => {
    for (const r of [
      carboplatin('rx', 'MedicationRequest', 'completed', 21 * DAY),
      carboplatin('adm', 'MedicationAdministration', 'completed', 21 * DAY),
    ]) {
      const s = buildSnapshot([patient, r, ...vitals], { at: AT });
      assert.equal(s.recentMedications?.length, 1, r.resourceType);
      assert.equal(s.medications.length, 0, 'a finished medicine is not an active one');
      assert.ok(assess(s).triage.rules?.some((x) => x.id === 'immunocompromised-fever'));
    }
    const old = buildSnapshot(
      [patient, carboplatin('rx', 'MedicationRequest', 'completed', 49 * DAY), ...vitals],
      {
        at: AT,
      },
    );
    assert.equal(old.recentMedications, undefined);
    assert.ok(!assess(old).triage.rules?.some((x) => x.id === 'immunocompromised-fever'));
  });
});

describe('other signals', () => {
  test('prednisolone 20 mg is high-dose, 10 mg is not; tacrolimus and rituximab always count', () => {
    const immuno = (display: string) =>
      triageSignals(snapshot({ medications: [{ display, ingredients: [], classes: [] }] })).immunocompromise
        .length;
    assert.equal(immuno('prednisolone 20 MG Oral Tablet'), 1);
    assert.equal(immuno('prednisolone 10 MG Oral Tablet'), 0);
    assert.equal(immuno('dexamethasone 4 MG Oral Tablet'), 1);
    assert.equal(immuno('tacrolimus 1 MG Oral Capsule'), 1);
    assert.equal(immuno('rituximab 500 MG injection'), 1);
    assert.equal(immuno('paracetamol 500 MG Oral Tablet'), 0);
  });

  test('the pain score comes from the chart, or from "9/10" in the complaint, whichever is higher', () => {
    const charted = triageSignals(
      snapshot({ vitals: { ...NORMAL_VITALS, pain: 6 }, chiefComplaint: 'pain 9/10' }),
    );
    assert.equal(charted.pain?.score, 9);
    assert.equal(triageSignals(snapshot({ vitals: { ...NORMAL_VITALS, pain: 8 } })).pain?.score, 8);
    assert.equal(triageSignals(snapshot({ chiefComplaint: 'pain for 3 days' })).pain, undefined);
  });

  test("without a nurse's chief complaint, the encounter's recorded reason is read (a CDS hook)", () => {
    const s = snapshot({ vitals: NORMAL_VITALS });
    const hook = { ...s, encounter: { source: 'Encounter/e1', reason: 'Chest pain' } };
    assert.ok(assess(hook).triage.rules?.some((r) => r.id === 'chest-pain'));
    const nurse = { ...hook, chiefComplaint: 'sprained wrist' };
    assert.ok(
      !assess(nurse).triage.rules?.some((r) => r.id === 'chest-pain'),
      "the nurse's words come first",
    );
  });

  test('age bands: under 3 months and 65 and over are their own bands', () => {
    assert.deepEqual([0, 2, 3, 11, 12 * 17, 12 * 64, 12 * 65].map(ageBandOf), [
      'under-1-month',
      'under-3-months',
      'under-1-year',
      'under-1-year',
      'child',
      'adult',
      'older-adult',
    ]);
    assert.equal(ageBandOf(null), null);
  });
});

describe("a finished encounter's reason is history, not today's complaint", () => {
  const encounter = (status: string, start: string, end?: string): Resource =>
    ({
      resourceType: 'Encounter',
      id: 'e-old',
      status,
      subject: { reference: 'Patient/p1' },
      period: { start, ...(end ? { end } : {}) },
      reasonCode: [{ text: 'Drug overdose' }],
    }) as Resource;

  test('the snapshot marks an encounter that was over at `at`', () => {
    const twoYears = 2 * 365 * DAY;
    const over = (r: Resource) => buildSnapshot([patient, r], { at: AT }).encounter?.over;
    assert.equal(over(encounter('finished', ago(twoYears), ago(twoYears - 60))), true);
    assert.equal(over(encounter('finished', ago(90))), true, 'finished, whatever the period says');
    assert.equal(over(encounter('unknown', ago(twoYears), ago(twoYears - 60))), true, 'its period ended');
    assert.equal(over(encounter('in-progress', ago(30))), undefined);
    assert.equal(over(encounter('arrived', ago(30), ago(10))), undefined, 'an open status wins');
  });

  test("a past visit's reason raises no floor and starts no sepsis screen; the current visit's does", () => {
    const s = snapshot({ vitals: NORMAL_VITALS });
    const past = { ...s, encounter: { source: 'Encounter/e-old', reason: 'Drug overdose', over: true } };
    assert.deepEqual(assess(past).triage.rules ?? [], []);
    assert.equal(assess(past).triage.floorLevel, null);
    const now = { ...past, encounter: { source: 'Encounter/e-now', reason: 'Drug overdose' } };
    assert.ok(assess(now).triage.rules?.some((r) => r.id === 'overdose-or-poisoning'));

    const febrile = snapshot({
      vitals: { ...NORMAL_VITALS, heartRate: 118, respiratoryRate: 24, temperature: 38.6 },
    });
    const oldPneumonia = {
      ...febrile,
      encounter: { source: 'Encounter/e-old', reason: 'Pneumonia', over: true },
    };
    assert.ok(!assess(oldPneumonia).findings.some((f) => f.id === 'sepsis-screen'));
    const pneumoniaNow = { ...febrile, encounter: { source: 'Encounter/e-now', reason: 'Pneumonia' } };
    assert.ok(assess(pneumoniaNow).findings.some((f) => f.id === 'sepsis-screen'));
  });
});

describe('a "history of" condition is a past event, not a current signal', () => {
  const febrile = { ...NORMAL_VITALS, temperature: 38.5 };

  test('history of chemotherapy: not immunocompromised, no neutropenic-sepsis floor; current chemotherapy still is', () => {
    for (const display of [
      'History of chemotherapy (situation)',
      'Hx of chemotherapy',
      'Personal history of transplant',
    ]) {
      const s = snapshot({ vitals: febrile, conditions: [display], chiefComplaint: 'cough' });
      assert.deepEqual(triageSignals(s).immunocompromise, [], display);
      assert.ok(!assess(s).triage.rules?.some((r) => r.id === 'immunocompromised-fever'), display);
    }
    const now = snapshot({ vitals: febrile, conditions: ['Chemotherapy'], chiefComplaint: 'cough' });
    assert.ok(assess(now).triage.rules?.some((r) => r.id === 'immunocompromised-fever'));
  });

  test('history of dialysis is not dialysis', () => {
    assert.equal(triageSignals(snapshot({ conditions: ['H/O renal dialysis'] })).dialysis, undefined);
    assert.ok(triageSignals(snapshot({ conditions: ['Dependence on renal dialysis'] })).dialysis);
  });
});

test('a huge encounter reason is read up to its first 2,000 characters, quickly', () => {
  const filler = 'ankle pain and swelling, '.repeat(40_000);
  const s = {
    ...snapshot({ vitals: NORMAL_VITALS }),
    encounter: { source: 'Encounter/e1', reason: `chest pain; ${filler}` },
  };
  const t0 = performance.now();
  const result = assess(s);
  assert.ok(performance.now() - t0 < 1000, 'the floor is worked out in well under a second');
  assert.ok(result.triage.rules?.some((r) => r.id === 'chest-pain'));
});
