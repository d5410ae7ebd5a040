// The triage floor: readable reasons, evidence, the default of 3, and the safety property that adding an
// abnormal reading can only make the floor more acute, never less.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assess, computeScores } from '../../src/clinical/assess/assess.ts';
import { DEFAULT_REASON, palsHypotensionLimit, triageFloor } from '../../src/clinical/triage/floor.ts';
import type { ClinicalSnapshot, VitalKind } from '../../src/clinical/types.ts';
import { m, NORMAL_VITALS, snapshot } from './clinical-test-helpers.ts';

const floorOf = (s: ClinicalSnapshot) => triageFloor(s, computeScores(s));

describe('triage floor', () => {
  test('no rule: level 3 by default, floor null, and the reason says why', () => {
    const t = floorOf(snapshot({ vitals: NORMAL_VITALS }));
    assert.deepEqual([t.level, t.floorLevel, t.basis], [3, null, 'default']);
    assert.deepEqual(t.reasons, [DEFAULT_REASON]);
  });

  test('SpO2 89 %: ESI 2 with a readable reason and the observation as evidence', () => {
    const spo2 = m(89);
    const t = floorOf(snapshot({ vitals: { ...NORMAL_VITALS, spo2 } }));
    assert.deepEqual([t.level, t.floorLevel, t.basis], [2, 2, 'floor']);
    assert.ok(t.reasons.includes('SpO2 89 % is below 92 %'));
    assert.ok(t.evidence.includes(spo2.source));
  });

  test('decision point A boundaries', () => {
    const lvl = (v: Partial<Record<VitalKind, number | ReturnType<typeof m>>>) =>
      floorOf(snapshot({ vitals: { ...NORMAL_VITALS, ...v } })).floorLevel;
    assert.equal(lvl({ spo2: 84 }), 1);
    assert.equal(lvl({ spo2: 85 }), 2);
    assert.equal(lvl({ respiratoryRate: 8 }), 1);
    assert.equal(lvl({ respiratoryRate: 9 }), null);
    assert.equal(lvl({ systolicBP: 69 }), 1);
    assert.equal(lvl({ systolicBP: 70 }), 2);
    assert.equal(lvl({ avpu: m(0, { code: 'P' }) }), 1);
    assert.equal(lvl({ avpu: m(0, { code: 'V' }) }), 2);
  });

  test('a GCS of 8 is ESI 1, 9–14 ESI 2', () => {
    const { avpu: _a, ...rest } = NORMAL_VITALS;
    assert.equal(floorOf(snapshot({ vitals: { ...rest, gcs: 8 } })).floorLevel, 1);
    assert.equal(floorOf(snapshot({ vitals: { ...rest, gcs: 9 } })).floorLevel, 2);
    assert.equal(floorOf(snapshot({ vitals: { ...rest, gcs: 15 } })).floorLevel, null);
  });

  test('PALS hypotension limits', () => {
    assert.deepEqual([0, 6, 12, 60, 120, 121].map(palsHypotensionLimit), [60, 70, 72, 80, 90, 90]);
  });

  test('a qSOFA lower bound of 2 is enough (mentation missing)', () => {
    const { avpu: _a, ...rest } = NORMAL_VITALS;
    const t = floorOf(snapshot({ vitals: { ...rest, respiratoryRate: 22, systolicBP: 100 } }));
    assert.ok(t.rules?.some((r) => r.id === 'qsofa-positive' && r.reason.includes('at least 2')));
  });

  test('assess: level equals the floor in deterministic mode and is never less acute', () => {
    const a = assess(snapshot({ vitals: { ...NORMAL_VITALS, heartRate: 135 } }));
    assert.equal(a.triage.level, a.triage.floorLevel);
    assert.equal(a.triage.level, 2);
  });
});

describe('safety: the floor only raises acuity', () => {
  // Deterministic pseudo-random walk over many vital-sign combinations.
  function rng(seed: number) {
    let x = seed;
    return () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 2147483648;
    };
  }
  const level = (s: ClinicalSnapshot) => floorOf(s).level;
  // "More abnormal" = further from the middle of the normal range, in whichever direction it already lies.
  const away = (centre: number, step: number) => (v: number) => (v < centre ? v - step : v + step);
  const worse: Array<[VitalKind, (v: number) => number]> = [
    ['heartRate', away(75, 25)],
    ['respiratoryRate', away(16, 6)],
    ['systolicBP', (v) => v - 25],
    ['spo2', (v) => v - 4],
    ['temperature', away(37, 1.2)],
  ];

  test('making any one vital sign more abnormal never lowers acuity (2 000 cases)', () => {
    const r = rng(42);
    for (let i = 0; i < 2000; i++) {
      const ageYears = Math.floor(r() * 90);
      const v = {
        heartRate: 50 + r() * 110,
        respiratoryRate: 10 + r() * 25,
        systolicBP: 75 + r() * 100,
        diastolicBP: 40,
        temperature: 35.5 + r() * 4,
        spo2: 86 + r() * 14,
        avpu: m(0, { code: r() < 0.9 ? 'A' : 'C' }),
      };
      const base = level(snapshot({ ageYears, vitals: v }));
      for (const [kind, f] of worse) {
        const bumped = level(
          snapshot({ ageYears, vitals: { ...v, [kind]: f(v[kind as keyof typeof v] as number) } }),
        );
        assert.ok(
          bumped <= base,
          `${kind} worse at age ${ageYears}: ${base} → ${bumped} (${JSON.stringify(v)})`,
        );
      }
    }
  });

  test('adding data (a lab, a condition, a complaint) never lowers acuity', () => {
    const base = snapshot({ vitals: { ...NORMAL_VITALS, heartRate: 125 } });
    const b = level(base);
    for (const extra of [
      snapshot({ vitals: { ...NORMAL_VITALS, heartRate: 125 }, labs: { potassium: 7 } }),
      snapshot({ vitals: { ...NORMAL_VITALS, heartRate: 125 }, labs: { glucose: 45 } }),
      snapshot({ vitals: { ...NORMAL_VITALS, heartRate: 125 }, conditions: ['Pneumonia'] }),
      snapshot({ vitals: { ...NORMAL_VITALS, heartRate: 125 }, chiefComplaint: 'chest pain' }),
    ]) {
      assert.ok(level(extra) <= b);
    }
  });
});
