// What counts as an input: plausibility limits for extreme but real readings, an implausible newest
// reading blocking older ones, condition text that is not the CHA2DS2-VASc item, a venous saturation code,
// trimethoprim as a potassium-raising drug, and which vital signs a card says are missing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assess, computeScores } from '../../src/clinical/assess/assess.ts';
import { classifyDrug } from '../../src/clinical/drug-classes.ts';
import { implausibleReason, LOINC_KIND } from '../../src/clinical/observation-kinds.ts';
import { cha2ds2Vasc } from '../../src/clinical/scores/cha2ds2-vasc.ts';
import { vitalSignsGap } from '../../src/clinical/scores/inputs.ts';
import { buildSnapshot } from '../../src/clinical/snapshot/build.ts';
import type { ConditionFact, MedicationFact } from '../../src/clinical/types.ts';
import { AT, obs, patient } from './clinical-snapshot-fixtures.ts';
import { NORMAL_VITALS, snapshot } from './clinical-test-helpers.ts';

describe('plausibility limits', () => {
  test('extreme but real readings are accepted: apnoea, HR 1 and 18, SBP 20 and 35', () => {
    for (const [kind, v] of [
      ['respiratoryRate', 0],
      ['heartRate', 1],
      ['heartRate', 18],
      ['systolicBP', 20],
      ['systolicBP', 35],
    ] as const)
      assert.equal(implausibleReason(kind, v, '/min'), undefined, `${kind} ${v}`);
  });
  test('HR 0, SBP 19, 55 °C and SpO2 130 % stay flagged', () => {
    for (const [kind, v] of [
      ['heartRate', 0],
      ['systolicBP', 19],
      ['temperature', 55],
      ['spo2', 130],
    ] as const)
      assert.match(implausibleReason(kind, v, '') ?? '', /plausible range/, `${kind} ${v}`);
  });
  test('an apnoea newer than a normal rate is the one scored', () => {
    const s = buildSnapshot(
      [patient, obs('rr0', '9279-1', 0, '/min', 5), obs('rr16', '9279-1', 16, '/min', 60)],
      { at: AT },
    );
    assert.equal(s.vitals.respiratoryRate?.latest?.value, 0);
    assert.ok(assess(s).triage.rules?.some((r) => r.id === 'rr-8-or-less'));
  });
});

describe('an implausible newest reading is never replaced by an older one', () => {
  const vitals = (hrNewest: number) =>
    buildSnapshot(
      [
        patient,
        obs('hrNew', '8867-4', hrNewest, '/min', 5),
        obs('hrOld', '8867-4', 80, '/min', 60),
        obs('rr', '9279-1', 16, '/min', 10),
        obs('sbp', '8480-6', 125, 'mm[Hg]', 10),
        obs('t', '8310-5', 36.8, 'Cel', 10),
        obs('sat', '59408-5', 97, '%', 10),
      ],
      { at: AT },
    );
  test('HR 0 newest: no latest pulse, NEWS2 and shock index null, the reason names the value', () => {
    const s = vitals(0);
    assert.equal(s.vitals.heartRate?.latest, undefined);
    const scores = computeScores(s);
    assert.equal(scores.news2.total, null);
    assert.match(scores.news2.total === null ? scores.news2.reason : '', /heartRate 0 \/min is outside/);
    assert.equal(scores.shockIndex.total, null);
    assert.match(scores.shockIndex.total === null ? scores.shockIndex.reason : '', /Observation\/hrNew/);
  });
  test('HR 1 newest is plausible and scored (NEWS2 pulse 3)', () => {
    const s = vitals(1);
    assert.equal(s.vitals.heartRate?.latest?.value, 1);
  });
});

describe('CHA2DS2-VASc items are the ones §1.6 names', () => {
  const af: Partial<ConditionFact> = { display: 'Atrial fibrillation' };
  const score = (c: Partial<ConditionFact>) => {
    const r = cha2ds2Vasc(snapshot({ ageYears: 50, sex: 'male', conditions: [af, c] }));
    assert.ok(r.total !== null);
    return r.components;
  };
  test('prediabetes, gestational diabetes and diabetes insipidus are not diabetes', () => {
    const code = (c: string) => [{ system: 'http://snomed.info/sct', code: c }];
    assert.equal(score({ display: 'Prediabetes', codes: code('15777000') }).diabetes, 0);
    assert.equal(score({ display: 'Gestational diabetes mellitus' }).diabetes, 0);
    assert.equal(score({ display: 'Diabetes insipidus' }).diabetes, 0);
    assert.equal(score({ display: 'Pre-diabetes' }).diabetes, 0);
    assert.equal(score({ display: 'Type 2 diabetes mellitus' }).diabetes, 1);
    assert.equal(score({ display: 'Neuropathy due to type 2 diabetes mellitus (disorder)' }).diabetes, 1);
  });
  test('coronary artery disease without an infarction is not vascular disease; MI and PAD are', () => {
    const code = [{ system: 'http://snomed.info/sct', code: '53741008' }];
    assert.equal(score({ display: 'Coronary arteriosclerosis', codes: code }).vascularDisease, 0);
    assert.equal(score({ display: 'Coronary artery disease' }).vascularDisease, 0);
    assert.equal(score({ display: 'Myocardial infarction' }).vascularDisease, 1);
    assert.equal(score({ display: 'Peripheral arterial disease' }).vascularDisease, 1);
  });
});

describe('SpO2 codes', () => {
  test('20564-1 (saturation in blood, possibly venous) does not feed SpO2', () => {
    assert.equal(LOINC_KIND.has('20564-1'), false);
    const s = buildSnapshot([patient, obs('svo2', '20564-1', 70, '%', 5)], { at: AT });
    assert.equal(s.vitals.spo2, undefined);
    assert.equal(
      assess(s).triage.rules?.some((r) => r.id.startsWith('spo2')),
      false,
    );
  });
});

describe('trimethoprim raises potassium', () => {
  test('ordered by ingredient code 10829, or as a co-trimoxazole brand, it is potassium-raising', () => {
    const byCode = classifyDrug(['10829'], []);
    assert.deepEqual(byCode.ingredients, ['trimethoprim']);
    assert.ok(byCode.classes.includes('potassium-raising'));
    const brand = classifyDrug([], ['Bactrim DS 800/160 tablet']);
    assert.deepEqual(brand.ingredients, ['sulfamethoxazole', 'trimethoprim']);
    assert.ok(classifyDrug(['10831'], []).classes.includes('sulfonamide-antibiotic'));
  });
  test('the hyperkalaemia finding names it as a cause', () => {
    const { ingredients, classes } = classifyDrug(['10829'], []);
    const med: Partial<MedicationFact> = { display: 'trimethoprim 200 mg', ingredients, classes };
    const f = assess(snapshot({ labs: { potassium: 5.6 }, medications: [med] })).findings.find(
      (x) => x.id === 'hyperkalaemia',
    );
    assert.match(f?.detail ?? '', /Drugs that can raise potassium: trimethoprim 200 mg/);
  });
});

describe('what the card says about missing vital signs', () => {
  test('none at all, some of the four, or all four present', () => {
    assert.equal(vitalSignsGap(snapshot()), 'no current vital signs: the safety floor could not be checked');
    assert.equal(
      vitalSignsGap(snapshot({ vitals: { heartRate: 80, respiratoryRate: 16, systolicBP: 128 } })),
      'no current SpO2: the safety floor could not be fully checked',
    );
    assert.equal(
      vitalSignsGap(snapshot({ vitals: { heartRate: 80, spo2: 97 } })),
      'no current respiratory rate, systolic blood pressure: the safety floor could not be fully checked',
    );
    assert.equal(vitalSignsGap(snapshot({ vitals: NORMAL_VITALS })), undefined);
  });
});
