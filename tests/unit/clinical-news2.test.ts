// NEWS2 against the RCP 2017 chart (clinical-sources §1.1): every band edge, aggregates, scale 2, nulls.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  news2,
  pulsePoints,
  rrPoints,
  sbpPoints,
  spo2Scale1Points,
  spo2Scale2Points,
  temperaturePoints,
} from '../../src/clinical/scores/news2.ts';
import { m, NORMAL_VITALS, snapshot } from './clinical-test-helpers.ts';

function table(f: (v: number) => number, rows: Array<[number, number]>) {
  for (const [v, p] of rows) assert.equal(f(v), p, `${v} → ${p}`);
}

describe('NEWS2 parameter bands (RCP 2017)', () => {
  test('respiratory rate', () =>
    table(rrPoints, [
      [8, 3],
      [9, 1],
      [11, 1],
      [12, 0],
      [20, 0],
      [21, 2],
      [24, 2],
      [25, 3],
    ]));
  test('SpO2 scale 1', () =>
    table(spo2Scale1Points, [
      [91, 3],
      [92, 2],
      [93, 2],
      [94, 1],
      [95, 1],
      [96, 0],
      [100, 0],
    ]));
  test('SpO2 scale 2 on air and on oxygen', () => {
    table(
      (v) => spo2Scale2Points(v, false),
      [
        [83, 3],
        [84, 2],
        [85, 2],
        [86, 1],
        [87, 1],
        [88, 0],
        [92, 0],
        [93, 0],
        [99, 0],
      ],
    );
    table(
      (v) => spo2Scale2Points(v, true),
      [
        [88, 0],
        [92, 0],
        [93, 1],
        [94, 1],
        [95, 2],
        [96, 2],
        [97, 3],
      ],
    );
  });
  test('systolic BP', () =>
    table(sbpPoints, [
      [90, 3],
      [91, 2],
      [100, 2],
      [101, 1],
      [110, 1],
      [111, 0],
      [219, 0],
      [220, 3],
    ]));
  test('pulse', () =>
    table(pulsePoints, [
      [40, 3],
      [41, 1],
      [50, 1],
      [51, 0],
      [90, 0],
      [91, 1],
      [110, 1],
      [111, 2],
      [130, 2],
      [131, 3],
    ]));
  test('temperature (0.1 °C resolution)', () =>
    table(temperaturePoints, [
      [35.0, 3],
      [35.1, 1],
      [36.0, 1],
      [36.1, 0],
      [38.0, 0],
      [38.1, 1],
      [39.0, 1],
      [39.1, 2],
    ]));
});

describe('NEWS2 aggregate', () => {
  test('all normal is 0, low band', () => {
    const r = news2(snapshot({ vitals: NORMAL_VITALS }));
    assert.equal(r.total, 0);
    assert.equal(r.total !== null && r.band, 'low');
  });

  test('worked example: RR 24, SpO2 93 on O2, SBP 105, HR 115, confused, 38.5 °C = 13, high', () => {
    // 2 + 2 + 2 (oxygen) + 1 + 2 + 3 + 1 = 13
    const r = news2(
      snapshot({
        vitals: {
          respiratoryRate: 24,
          spo2: m(93, { onOxygen: true }),
          systolicBP: 105,
          heartRate: 115,
          temperature: 38.5,
          avpu: m(0, { code: 'C' }),
        },
      }),
    );
    assert.equal(r.total, 13);
    assert.ok(r.total !== null);
    assert.equal(r.band, 'high');
    assert.deepEqual(r.components, {
      respiratoryRate: 2,
      spo2: 2,
      airOrOxygen: 2,
      systolicBP: 1,
      pulse: 2,
      consciousness: 3,
      temperature: 1,
    });
  });

  test('a single 3 with a total under 5 is the low–medium band', () => {
    const r = news2(snapshot({ vitals: { ...NORMAL_VITALS, respiratoryRate: 26 } }));
    assert.equal(r.total, 3);
    assert.equal(r.total !== null && r.band, 'low-medium');
  });

  test('band edges: 4 low, 5 and 6 medium, 7 high', () => {
    const four = news2(
      snapshot({
        vitals: { ...NORMAL_VITALS, heartRate: 112, spo2: 95, temperature: 38.5, respiratoryRate: 16 },
      }),
    );
    assert.equal(four.total, 4);
    assert.equal(four.total !== null && four.band, 'low');
    const medium = news2(
      snapshot({
        vitals: { ...NORMAL_VITALS, heartRate: 112, spo2: 94, temperature: 38.5, systolicBP: 108 },
      }),
    );
    assert.equal(medium.total, 5);
    assert.equal(medium.total !== null && medium.band, 'medium');
    const six = news2(
      snapshot({ vitals: { ...NORMAL_VITALS, heartRate: 132, spo2: 94, temperature: 39.2 } }),
    );
    assert.equal(six.total, 6);
    assert.equal(six.total !== null && six.band, 'medium');
    const seven = news2(
      snapshot({
        vitals: { ...NORMAL_VITALS, heartRate: 132, spo2: 94, temperature: 39.2, systolicBP: 110 },
      }),
    );
    assert.equal(seven.total, 7);
    assert.equal(seven.total !== null && seven.band, 'high');
  });

  test('scale 2 only when hypercapnic respiratory failure is recorded', () => {
    const vitals = { ...NORMAL_VITALS, spo2: 89 };
    assert.equal(news2(snapshot({ vitals, conditions: ['Chronic obstructive lung disease'] })).total, 3);
    const s2 = news2(snapshot({ vitals, conditions: ['Acute on chronic hypercapnic respiratory failure'] }));
    assert.equal(s2.total, 0);
    assert.ok(s2.total !== null && s2.notes?.some((n) => n.includes('scale 2')));
    const coded = news2(
      snapshot({
        vitals,
        conditions: [
          {
            display: 'Resp failure',
            codes: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'J96.12' }],
          },
        ],
      }),
    );
    assert.equal(coded.total, 0);
  });

  test('GCS 15 is alert, GCS 14 scores 3; with no oxygen record the patient is scored as on air and told so', () => {
    const { avpu: _a, ...noAvpu } = NORMAL_VITALS;
    const alert = news2(snapshot({ vitals: { ...noAvpu, gcs: 15 } }));
    assert.equal(alert.total, 0);
    assert.ok(alert.total !== null && alert.notes?.some((n) => n.includes('air')));
    assert.equal(news2(snapshot({ vitals: { ...noAvpu, gcs: 14 } })).total, 3);
  });

  test('a missing parameter gives null with the reason, the missing names and a lower bound', () => {
    const { respiratoryRate: _r, ...rest } = NORMAL_VITALS;
    const r = news2(snapshot({ vitals: { ...rest, heartRate: 135 } }));
    assert.equal(r.total, null);
    assert.ok(r.total === null);
    assert.match(r.reason, /respiratory rate/);
    assert.deepEqual(r.missing, ['respiratory rate']);
    assert.equal(r.lowerBound, 3);
  });

  test('not computed for children under 16', () => {
    const r = news2(snapshot({ ageYears: 12, vitals: NORMAL_VITALS }));
    assert.equal(r.total, null);
  });
});
