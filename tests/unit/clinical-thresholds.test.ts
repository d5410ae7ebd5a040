// Thresholds at their exact boundaries: NEWS2 with a missing parameter, eGFR before rounding, AKI ratios
// in floating point, unit factors, rounding before banding, and the danger-zone age bands.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assess } from '../../src/clinical/assess/assess.ts';
import { detectAki } from '../../src/clinical/rules/kidney.ts';
import { dangerZoneBand } from '../../src/clinical/scores/danger-zone.ts';
import { ckdEpi2021, egfr, egfrText, kdigoCategory } from '../../src/clinical/scores/egfr.ts';
import {
  pulsePoints,
  sbpPoints,
  spo2Scale1Points,
  temperaturePoints,
} from '../../src/clinical/scores/news2.ts';
import { shockIndex } from '../../src/clinical/scores/shock-index.ts';
import type { ClinicalSnapshot, MedicationFact } from '../../src/clinical/types.ts';
import { toCanonical } from '../../src/clinical/units.ts';
import { m, snapshot } from './clinical-test-helpers.ts';

const alert = m(0, { code: 'A' });
const rule = (s: ClinicalSnapshot, id: string) => assess(s).triage.rules?.find((r) => r.id === id);

describe('NEWS2 with a missing parameter: the partial sum is a lower bound', () => {
  // SBP 100 → 2, HR 92 → 1, T 39.1 → 2, alert, air: at least 5 with RR and SpO2 missing.
  const lb5 = { systolicBP: 100, heartRate: 92, temperature: 39.1, avpu: alert };
  test('at least 5 gives the ESI 2 floor, worded as a lower bound', () => {
    const r = rule(snapshot({ vitals: lb5 }), 'news2-5-or-more');
    assert.ok(r, 'news2-5-or-more fires');
    assert.equal(r.level, 2);
    assert.match(r.reason, /^NEWS2 at least 5 \(medium clinical risk; respiratory rate, SpO2 missing\)/);
  });
  test('at least 4 (T 38.5 → 1) does not', () => {
    assert.equal(rule(snapshot({ vitals: { ...lb5, temperature: 38.5 } }), 'news2-5-or-more'), undefined);
  });
  test('the escalation finding follows the lower bound: 5 → warning, 7 → critical, 4 → nothing', () => {
    const at5 = assess(snapshot({ vitals: lb5 })).findings.find((f) => f.id === 'news2-escalation');
    assert.equal(at5?.severity, 'warning');
    assert.match(at5?.summary ?? '', /^NEWS2 at least 5 \(medium risk; respiratory rate, SpO2 missing\)/);
    // SBP 100 → 2, HR 115 → 2, T 39.5 → 2, SpO2 94 → 1: at least 7 with RR missing.
    const lb7 = { systolicBP: 100, heartRate: 115, temperature: 39.5, spo2: 94, avpu: alert };
    const at7 = assess(snapshot({ vitals: lb7 })).findings.find((f) => f.id === 'news2-escalation');
    assert.equal(at7?.severity, 'critical');
    assert.match(at7?.summary ?? '', /^NEWS2 at least 7 \(high risk; respiratory rate missing\)/);
    const at4 = assess(snapshot({ vitals: { ...lb5, temperature: 38.5 } }));
    assert.equal(
      at4.findings.some((f) => f.id === 'news2-escalation'),
      false,
    );
  });
  test('the sepsis screen counts NEWS2 at least 5 and says what is missing', () => {
    const s = snapshot({ vitals: lb5, chiefComplaint: 'fever and productive cough' });
    const f = assess(s).findings.find((x) => x.id === 'sepsis-screen');
    assert.ok(f);
    assert.match(f.summary, /NEWS2 at least 5/);
    assert.match(f.detail ?? '', /NEWS2 is at least 5 \(respiratory rate, SpO2 missing\)/);
  });
});

describe('eGFR: thresholds on the unrounded value, rounding only for display', () => {
  const metformin = (draft: boolean): Partial<MedicationFact> => ({
    ingredients: ['metformin'],
    classes: ['metformin'],
    draft,
    status: draft ? 'draft' : 'active',
  });
  // Man of 70, creatinine 2.314 mg/dL → 29.59: reported as 30, but below 30.
  const low = { ageYears: 70, sex: 'male' as const, labs: { creatinine: 2.314 } };
  test('29.59 is reported as 30 but is category G4', () => {
    const exact = ckdEpi2021(2.314, 70, 'male');
    assert.ok(exact < 30 && exact > 29.5);
    const r = egfr(snapshot(low));
    assert.equal(r.total, 30);
    assert.equal(r.total !== null && r.band, 'G4');
    assert.equal(kdigoCategory(29.99), 'G4');
    assert.equal(kdigoCategory(30), 'G3b');
  });
  test('metformin with eGFR 29.59 is contraindicated, active or ordered, and the text never says 30', () => {
    for (const draft of [false, true]) {
      const f = assess(snapshot({ ...low, medications: [metformin(draft)] })).findings.find(
        (x) => x.id === 'metformin-renal',
      );
      assert.equal(f?.severity, 'critical');
      assert.match(f?.summary ?? '', /eGFR 29\.6: contraindicated below 30/);
    }
  });
  test('an eGFR at or just above 30 stays in the 30–45 band (review, not stop)', () => {
    let cr = 2.25;
    while (ckdEpi2021(cr + 0.001, 70, 'male') >= 30) cr += 0.001;
    assert.ok(ckdEpi2021(cr, 70, 'male') >= 30);
    const f = assess(
      snapshot({ ageYears: 70, sex: 'male', labs: { creatinine: cr }, medications: [metformin(false)] }),
    ).findings.find((x) => x.id === 'metformin-renal');
    assert.equal(f?.severity, 'info');
  });
  test('egfrText shows one decimal only when the whole number would cross a cut-off', () => {
    assert.equal(egfrText(29.59), '29.6');
    assert.equal(egfrText(29.96), '29.9');
    assert.equal(egfrText(44.6), '44.6');
    assert.equal(egfrText(40.4), '40');
    assert.equal(egfrText(30.4), '30');
  });
});

describe('AKI staging at the exact KDIGO ratios', () => {
  const at = (h: number) => new Date(Date.UTC(2026, 0, 10) - h * 3_600_000).toISOString();
  const cr = (v: number, h: number) => m(v, { unit: 'mg/dL', at: at(h), source: `Observation/c${h}` });
  const stage = (latest: number, base: number, h: number) =>
    detectAki(cr(latest, 0), [cr(base, h)])?.stage ?? 'none';
  test('exactly 1.5× is stage 1 (1.65 / 1.1 is 1.4999… in binary)', () => {
    assert.equal(stage(1.65, 1.1, 72), 1);
    assert.equal(stage(1.64, 1.1, 72), 'none');
  });
  test('exactly 2.0× is stage 2 and exactly 3.0× is stage 3', () => {
    assert.equal(stage(2.2, 1.1, 72), 2);
    assert.equal(stage(3.3, 1.1, 72), 3);
    assert.equal(stage(3.29, 1.1, 72), 2);
  });
  test('a rise of exactly 0.3 within 48 h counts, and reaching 4.0 mg/dL with it is stage 3', () => {
    assert.equal(stage(1.2, 0.9, 24), 1);
    assert.equal(stage(4.0, 3.7, 24), 3);
    assert.equal(stage(3.99, 3.69, 24), 1);
  });
});

describe('unit factors match the sheet pairs', () => {
  test('lactate mg/dL ÷ 9: 36 mg/dL is 4.0 mmol/L and 18 mg/dL is 2.0', () => {
    const l36 = toCanonical('lactate', 36, 'mg/dL');
    assert.ok(l36.ok && l36.value === 4);
    const l18 = toCanonical('lactate', 18, 'mg/dL');
    assert.ok(l18.ok && l18.value === 2);
  });
  test('lactate 36 mg/dL meets the lactate ≥ 4 floor', () => {
    const l = toCanonical('lactate', 36, 'mg/dL');
    assert.ok(l.ok);
    assert.ok(rule(snapshot({ labs: { lactate: l.value } }), 'lactate-4'));
  });
  test('glucose mmol/L × 18: 3.0 mmol/L is 54 mg/dL, not below 54', () => {
    const g = toCanonical('glucose', 3.0, 'mmol/L');
    assert.ok(g.ok && g.value === 54);
    assert.equal(rule(snapshot({ labs: { glucose: g.value } }), 'glucose-below-54'), undefined);
  });
});

describe('rounding before banding', () => {
  test('temperature rounds once to 0.1 °C, halves away from zero', () => {
    assert.equal(temperaturePoints(38.05), 1);
    assert.equal(temperaturePoints(38.04), 0);
    assert.equal(temperaturePoints(36.05), 0);
    assert.equal(temperaturePoints(36.04), 1);
    assert.equal(temperaturePoints(35.05), 1);
  });
  test('integer parameters round to the nearest whole number, halves upwards', () => {
    assert.equal(spo2Scale1Points(91.5), 2);
    assert.equal(spo2Scale1Points(91.4), 3);
    assert.equal(pulsePoints(90.5), 1);
    assert.equal(sbpPoints(90.5), 2);
  });
  test('shock index bands on the exact ratio: 0.995 is elevated though it displays as 1', () => {
    const s = snapshot({ vitals: { heartRate: 99.5, systolicBP: 100 } });
    const si = shockIndex(s);
    assert.ok(si.total !== null);
    assert.equal(si.total, 1);
    assert.equal(si.band, 'elevated');
    assert.equal(rule(s, 'shock-index-1'), undefined);
    const high = snapshot({ vitals: { heartRate: 100, systolicBP: 100 } });
    const siHigh = shockIndex(high);
    assert.equal(siHigh.total !== null && siHigh.band, 'high');
    assert.ok(rule(high, 'shock-index-1'));
  });
});

describe('danger-zone age bands', () => {
  test('adult limits from the 8th birthday (96 months)', () => {
    assert.equal(dangerZoneBand(95).heartRateAbove, 140);
    assert.equal(dangerZoneBand(96).heartRateAbove, 100);
    const child = (months: number) =>
      snapshot({
        ageYears: Math.floor(months / 12),
        ageMonths: months,
        vitals: { heartRate: 130, spo2: 97 },
      });
    assert.ok(rule(child(96), 'danger-zone'));
    assert.equal(rule(child(95), 'danger-zone'), undefined);
  });
});
