// buildSnapshot: FHIR in, normalised facts out, each with its Type/id; nothing that identifies the patient.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Resource } from '@medplum/fhirtypes';
import { buildSnapshot } from '../../src/clinical/snapshot/build.ts';
import { ageAt } from '../../src/clinical/snapshot/patient.ts';
import { toCanonical } from '../../src/clinical/units.ts';
import { AT, ago, obs, patient } from './clinical-snapshot-fixtures.ts';

describe('units', () => {
  test('°F → °C, lb → kg, creatinine µmol/L → mg/dL, glucose mmol/L → mg/dL', () => {
    const t = toCanonical('temperature', 98.6, '[degF]');
    assert.ok(t.ok && Math.abs(t.value - 37) < 0.01);
    const w = toCanonical('weight', 154, '[lb_av]');
    assert.ok(w.ok && Math.abs(w.value - 69.85) < 0.01);
    const c = toCanonical('creatinine', 88.4, 'umol/L');
    assert.ok(c.ok && Math.abs(c.value - 1) < 1e-9 && c.unit === 'mg/dL');
    const g = toCanonical('glucose', 5, 'mmol/L');
    assert.ok(g.ok && Math.abs(g.value - 90) < 1e-9);
  });
  test('an unknown unit is refused, never guessed', () => {
    const r = toCanonical('potassium', 5, 'mg/dL');
    assert.equal(r.ok, false);
  });
});

describe('patient', () => {
  test('age in years and whole months as of `at`', () => {
    assert.deepEqual(ageAt('1958-03-02', AT), { years: 67, months: 815 });
    assert.deepEqual(ageAt('1958-03-01', AT), { years: 68, months: 816 });
    assert.deepEqual(ageAt('2026-02-15', AT), { years: 0, months: 0 });
    assert.equal(ageAt('2027-01-01', AT), null);
  });
  test('no name, identifier, telecom, address or birth date in the snapshot', () => {
    const s = buildSnapshot([patient], { at: AT });
    assert.equal(s.patient.ageYears, 67);
    assert.equal(s.patient.sex, 'female');
    const json = JSON.stringify(s);
    for (const leak of ['Doe', 'Jane', 'MRN-123456', '555-0100', 'Main Street', '02139', '1958-03-02']) {
      assert.ok(!json.includes(leak), `${leak} must not appear`);
    }
    assert.deepEqual(s.resources, [
      { ref: 'Patient/p1', versionId: '3', lastUpdated: '2026-01-01T00:00:00Z' },
    ]);
  });
});

describe('observations', () => {
  test('BP panels (85354-9 and 55284-4) feed systolic and diastolic with the panel as evidence', () => {
    const panel = (id: string, code: string, mins: number, sys: number) =>
      ({
        resourceType: 'Observation',
        id,
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code }] },
        effectiveDateTime: ago(mins),
        component: [
          {
            code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
            valueQuantity: { value: sys, unit: 'mm[Hg]' },
          },
          {
            code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
            valueQuantity: { value: 70, unit: 'mm[Hg]' },
          },
        ],
      }) as Resource;
    const s = buildSnapshot(
      [patient, panel('bp-old', '55284-4', 120, 140), panel('bp-new', '85354-9', 20, 110)],
      { at: AT },
    );
    assert.equal(s.vitals.systolicBP?.latest?.value, 110);
    assert.equal(s.vitals.systolicBP?.latest?.source, 'Observation/bp-new');
    assert.equal(s.vitals.diastolicBP?.latest?.source, 'Observation/bp-new');
    assert.equal(s.vitals.systolicBP?.history[0].source, 'Observation/bp-old');
  });

  test('temperature code variants and °F', () => {
    for (const code of ['8310-5', '8331-1', '8332-9', '8333-7', '8328-7']) {
      const s = buildSnapshot([patient, obs('t', code, 100.4, '[degF]')], { at: AT });
      assert.equal(s.vitals.temperature?.latest?.value, 38, code);
      assert.equal(s.vitals.temperature?.latest?.unit, 'Cel');
    }
  });

  test('creatinine 2160-0 / 38483-4 / 14682-9 and potassium 2823-3 / 6298-4', () => {
    const s = buildSnapshot(
      [
        patient,
        obs('c1', '38483-4', 1.2, 'mg/dL', 600),
        obs('c2', '14682-9', 150, 'umol/L', 60),
        obs('k', '6298-4', 4.1, 'mmol/L', 60),
      ],
      { at: AT },
    );
    assert.ok(Math.abs((s.labs.creatinine?.latest?.value ?? 0) - 150 / 88.4) < 1e-9);
    assert.equal(s.labs.creatinine?.history.length, 1);
    assert.equal(s.labs.potassium?.latest?.value, 4.1);
  });

  test('SpO2 with an oxygen-flow component is marked on oxygen', () => {
    const o = obs('sat', '59408-5', 94, '%', 10, {
      component: [
        {
          code: { coding: [{ system: 'http://loinc.org', code: '3151-8' }] },
          valueQuantity: { value: 3, unit: 'L/min' },
        },
      ],
    });
    const s = buildSnapshot([patient, o], { at: AT });
    assert.equal(s.vitals.spo2?.latest?.onOxygen, true);
    assert.equal(s.vitals.oxygenFlow?.latest?.value, 3);
  });

  test('window: vitals 24 h, creatinine 90 days; older readings go to history', () => {
    const s = buildSnapshot(
      [patient, obs('hr', '8867-4', 90, '/min', 60 * 25), obs('cr', '2160-0', 1, 'mg/dL', 60 * 24 * 80)],
      { at: AT },
    );
    assert.equal(s.vitals.heartRate?.latest, undefined);
    assert.equal(s.vitals.heartRate?.history.length, 1);
    assert.equal(s.labs.creatinine?.latest?.value, 1);
  });

  test('implausible values are kept in history with a reason and never chosen as latest', () => {
    const s = buildSnapshot(
      [patient, obs('hr0', '8867-4', 0, '/min', 50), obs('hr1', '8867-4', 72, '/min', 5)],
      { at: AT },
    );
    assert.equal(s.vitals.heartRate?.latest?.value, 72);
    const bad = s.vitals.heartRate?.history.find((m) => m.source === 'Observation/hr0');
    assert.match(bad?.implausible ?? '', /plausible range/);
    assert.ok(s.warnings.some((w) => w.includes('Observation/hr0')));
  });

  test('an implausible newest reading leaves no latest value: an older normal one never stands in', () => {
    const s = buildSnapshot(
      [patient, obs('hr0', '8867-4', 0, '/min', 5), obs('hr1', '8867-4', 72, '/min', 50)],
      { at: AT },
    );
    assert.equal(s.vitals.heartRate?.latest, undefined);
    assert.equal(s.vitals.heartRate?.unusable?.source, 'Observation/hr0');
    assert.equal(s.vitals.heartRate?.history.length, 2);
    assert.ok(s.warnings.some((w) => w.includes('older heartRate readings are not scored')));
  });

  test('entered-in-error observations and readings after `at` are ignored', () => {
    const s = buildSnapshot(
      [
        patient,
        obs('a', '8867-4', 150, '/min', 5, { status: 'entered-in-error' }),
        obs('b', '8867-4', 160, '/min', -5),
        obs('c', '8867-4', 70, '/min', 20),
      ],
      { at: AT },
    );
    assert.equal(s.vitals.heartRate?.latest?.value, 70);
    assert.equal(s.vitals.heartRate?.history.length, 0);
  });

  test('AVPU answers (SNOMED and text) and GCS', () => {
    const avpu = {
      resourceType: 'Observation',
      id: 'avpu',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '67775-7' }] },
      effectiveDateTime: ago(10),
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '450847001' }] },
    } as Resource;
    const s = buildSnapshot([patient, avpu, obs('g', '9269-2', 9, '{score}')], { at: AT });
    assert.equal(s.vitals.avpu?.latest?.code, 'P');
    assert.equal(s.vitals.gcs?.latest?.value, 9);
  });
});
