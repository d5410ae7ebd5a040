// Scores against their published tables (clinical-sources §1): every band edge, worked examples, and
// "null with a reason" when an input is missing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cha2ds2Vasc, cha2ds2VascBand } from '../../src/clinical/scores/cha2ds2-vasc.ts';
import { dangerZone, dangerZoneBand } from '../../src/clinical/scores/danger-zone.ts';
import { ckdEpi2021, egfr, kdigoCategory } from '../../src/clinical/scores/egfr.ts';
import { qsofa } from '../../src/clinical/scores/qsofa.ts';
import { shockIndex } from '../../src/clinical/scores/shock-index.ts';
import { sirs } from '../../src/clinical/scores/sirs.ts';
import { m, NORMAL_VITALS, snapshot } from './clinical-test-helpers.ts';

function _table(f: (v: number) => number, rows: Array<[number, number]>) {
  for (const [v, p] of rows) assert.equal(f(v), p, `${v} → ${p}`);
}

describe('qSOFA (Sepsis-3)', () => {
  test('thresholds: RR ≥ 22, SBP ≤ 100, mentation', () => {
    const base = { ...NORMAL_VITALS };
    assert.equal(qsofa(snapshot({ vitals: { ...base, respiratoryRate: 21, systolicBP: 101 } })).total, 0);
    assert.equal(qsofa(snapshot({ vitals: { ...base, respiratoryRate: 22, systolicBP: 101 } })).total, 1);
    assert.equal(qsofa(snapshot({ vitals: { ...base, respiratoryRate: 22, systolicBP: 100 } })).total, 2);
    const all = qsofa(
      snapshot({ vitals: { ...base, respiratoryRate: 22, systolicBP: 100, avpu: m(0, { code: 'V' }) } }),
    );
    assert.equal(all.total, 3);
    assert.equal(all.total !== null && all.band, 'positive');
  });
  test('missing mentation: null, but a lower bound of 2 when RR and SBP both meet', () => {
    const { avpu: _a, ...rest } = NORMAL_VITALS;
    const r = qsofa(snapshot({ vitals: { ...rest, respiratoryRate: 30, systolicBP: 90 } }));
    assert.equal(r.total, null);
    assert.equal(r.total === null && r.lowerBound, 2);
  });
});

describe('SIRS (1992)', () => {
  test('strict inequalities on every criterion', () => {
    const v = { temperature: 38.0, heartRate: 90, respiratoryRate: 20 };
    assert.equal(sirs(snapshot({ vitals: v, labs: { wbc: 12 } })).total, 0);
    assert.equal(
      sirs(
        snapshot({ vitals: { temperature: 38.1, heartRate: 91, respiratoryRate: 21 }, labs: { wbc: 12.1 } }),
      ).total,
      4,
    );
    assert.equal(
      sirs(
        snapshot({ vitals: { temperature: 35.9, heartRate: 60, respiratoryRate: 12 }, labs: { wbc: 3.9 } }),
      ).total,
      2,
    );
    assert.equal(
      sirs(snapshot({ vitals: { temperature: 36.0, heartRate: 60, respiratoryRate: 12 }, labs: { wbc: 4 } }))
        .total,
      0,
    );
  });
  test('without a white count: null with the lower bound', () => {
    const r = sirs(snapshot({ vitals: { temperature: 38.5, heartRate: 100, respiratoryRate: 22 } }));
    assert.equal(r.total, null);
    assert.equal(r.total === null && r.lowerBound, 3);
  });
});

describe('shock index', () => {
  test('HR / SBP with bands; SBP missing → null, never infinity', () => {
    const r = shockIndex(snapshot({ vitals: { heartRate: 120, systolicBP: 100 } }));
    assert.equal(r.total, 1.2);
    assert.equal(r.total !== null && r.band, 'high');
    const elevated = shockIndex(snapshot({ vitals: { heartRate: 91, systolicBP: 100 } }));
    assert.equal(elevated.total !== null && elevated.band, 'elevated');
    assert.equal(shockIndex(snapshot({ vitals: { heartRate: 70, systolicBP: 120 } })).total, 0.58);
    assert.equal(shockIndex(snapshot({ vitals: { heartRate: 120 } })).total, null);
  });
});

describe('ESI danger-zone vitals (v4)', () => {
  test('age bands and their limits', () => {
    assert.equal(dangerZoneBand(2).heartRateAbove, 180);
    assert.equal(dangerZoneBand(3).heartRateAbove, 160);
    assert.equal(dangerZoneBand(35).respiratoryRateAbove, 40);
    assert.equal(dangerZoneBand(36).heartRateAbove, 140);
    assert.equal(dangerZoneBand(95).respiratoryRateAbove, 30);
    // Adult limits from the 8th birthday (§1.5 ">8 years" read as 8 and over).
    assert.equal(dangerZoneBand(96).heartRateAbove, 100);
    assert.equal(dangerZoneBand(96).respiratoryRateAbove, 20);
    assert.equal(dangerZoneBand(107).heartRateAbove, 100);
    assert.equal(dangerZoneBand(null).heartRateAbove, 100);
  });
  test('a limit itself is not exceeded; one above is', () => {
    const at = (hr: number, rr: number, spo2: number, months: number) =>
      dangerZone(
        snapshot({
          ageYears: Math.floor(months / 12),
          ageMonths: months,
          vitals: { heartRate: hr, respiratoryRate: rr, spo2 },
        }),
      );
    assert.equal(at(180, 50, 92, 1).total, 0);
    assert.equal(at(181, 50, 92, 1).total, 1);
    assert.equal(at(100, 20, 92, 240).total, 0);
    assert.equal(at(101, 21, 91, 240).total, 3);
  });
});

describe('eGFR CKD-EPI 2021', () => {
  test('worked check: woman, 55, creatinine 0.9 mg/dL ≈ 76 (the equation gives 75.50)', () => {
    // clinical-sources §1.9 quotes ≈76 from a calculator; the published equation evaluates to 75.499.
    const v = ckdEpi2021(0.9, 55, 'female');
    assert.ok(Math.abs(v - 75.4988) < 0.001, String(v));
    assert.ok(Math.abs(v - 76) < 1);
  });
  test('man 60 at creatinine 1.0 ≈ 86; the kappa knee is continuous', () => {
    assert.equal(Math.round(ckdEpi2021(1.0, 60, 'male')), 86);
    const below = ckdEpi2021(0.8999, 40, 'male');
    const above = ckdEpi2021(0.9001, 40, 'male');
    assert.ok(Math.abs(below - above) < 0.1);
  });
  test('needs creatinine, age ≥ 18 and a binary sex', () => {
    assert.equal(egfr(snapshot({ labs: { creatinine: 1 }, sex: 'unknown' })).total, null);
    assert.equal(egfr(snapshot({ labs: { creatinine: 1 }, ageYears: 17 })).total, null);
    assert.equal(egfr(snapshot({ sex: 'male' })).total, null);
    const r = egfr(snapshot({ labs: { creatinine: 0.9 }, ageYears: 55, sex: 'female' }));
    assert.ok(r.total !== null && r.band === 'G2');
  });
  test('the total is a whole number, as a laboratory reports it; the exact value stays in components', () => {
    const r = egfr(snapshot({ labs: { creatinine: 0.9 }, ageYears: 55, sex: 'female' }));
    assert.ok(r.total !== null);
    assert.equal(r.total, 75);
    assert.equal(r.components.unrounded, 75.5);
    // The KDIGO band follows the unrounded value (§1.9: round only for display), not the whole number.
    const cr = [1.0, 1.05, 1.1, 1.2, 1.3].map((c) => ({
      c,
      e: egfr(snapshot({ labs: { creatinine: c }, ageYears: 70 })),
    }));
    for (const { c, e } of cr) {
      assert.ok(e.total !== null && Number.isInteger(e.total), JSON.stringify(e));
      assert.equal(e.band, kdigoCategory(ckdEpi2021(c, 70, 'female')));
    }
  });
  test('KDIGO categories', () => {
    assert.deepEqual([90, 89.9, 60, 59, 45, 44, 30, 29, 15, 14].map(kdigoCategory), [
      'G1',
      'G2',
      'G2',
      'G3a',
      'G3a',
      'G3b',
      'G3b',
      'G4',
      'G4',
      'G5',
    ]);
  });
});

describe('CHA2DS2-VASc with the 2023 thresholds', () => {
  test('maximum 9', () => {
    const r = cha2ds2Vasc(
      snapshot({
        ageYears: 80,
        sex: 'female',
        conditions: [
          'Atrial fibrillation',
          'Heart failure',
          'Hypertension',
          'Type 2 diabetes mellitus',
          'Stroke',
          'Myocardial infarction',
        ],
      }),
    );
    assert.equal(r.total, 9);
  });
  test('age points 65–74 → 1, ≥ 75 → 2', () => {
    const at = (age: number) =>
      cha2ds2Vasc(snapshot({ ageYears: age, sex: 'male', conditions: ['Atrial fibrillation'] })).total;
    assert.deepEqual([64, 65, 74, 75].map(at), [0, 1, 1, 2]);
  });
  test('thresholds by sex: recommended at 2 (men) and 3 (women)', () => {
    assert.equal(cha2ds2VascBand(1, 'male'), 'anticoagulation-reasonable');
    assert.equal(cha2ds2VascBand(2, 'male'), 'anticoagulation-recommended');
    assert.equal(cha2ds2VascBand(1, 'female'), 'low');
    assert.equal(cha2ds2VascBand(2, 'female'), 'anticoagulation-reasonable');
    assert.equal(cha2ds2VascBand(3, 'female'), 'anticoagulation-recommended');
    assert.equal(cha2ds2VascBand(0, 'male'), 'low');
  });
  test('null without atrial fibrillation', () => {
    assert.equal(cha2ds2Vasc(snapshot({ conditions: ['Hypertension'] })).total, null);
  });
});
