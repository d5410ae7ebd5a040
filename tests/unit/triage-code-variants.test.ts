// Every code variant of clinical-sources §4.1 notes is read as the same concept, so NEWS2 and qSOFA are
// computed whatever variant a chart uses; a vital sign CiteCare cannot read is reported, not missing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Resource } from '@medplum/fhirtypes';
import { assess } from '../../src/clinical/assess/assess.ts';
import { buildSnapshot } from '../../src/clinical/snapshot/build.ts';
import { AT, ago, obs, patient } from './clinical-snapshot-fixtures.ts';

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const VITAL = [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] },
];

/** HR 80, RR 16, SBP 125/80, T 36.8, SpO2 98: every NEWS2 parameter but consciousness scores 0. */
const BASE: Resource[] = [
  patient,
  obs('hr', '8867-4', 80, '/min'),
  obs('rr', '9279-1', 16, '/min'),
  obs('sbp', '8480-6', 125, 'mm[Hg]'),
  obs('dbp', '8462-4', 80, 'mm[Hg]'),
  obs('t', '8310-5', 36.8, 'Cel'),
  obs('spo2', '59408-5', 98, '%'),
];

function consciousness(code: string, value: Record<string, unknown>): Resource {
  return {
    resourceType: 'Observation',
    id: `mind-${code}`,
    status: 'final',
    category: VITAL,
    code: { coding: [{ system: LOINC, code }] },
    effectiveDateTime: ago(30),
    ...value,
  } as Resource;
}

const run = (extra: Resource[], base = BASE) => {
  const s = buildSnapshot([...base, ...extra], { at: AT });
  return { s, a: assess(s) };
};

describe('consciousness variants', () => {
  const variants: Array<[string, Resource, 'A' | 'C' | 'V' | 'P' | 'U']> = [
    [
      '67775-7 with a SNOMED answer',
      consciousness('67775-7', { valueCodeableConcept: { coding: [{ system: SNOMED, code: '248234008' }] } }),
      'A',
    ],
    [
      '80288-4 with a SNOMED answer',
      consciousness('80288-4', { valueCodeableConcept: { coding: [{ system: SNOMED, code: '422768004' }] } }),
      'U',
    ],
    [
      '80288-4 answered "acute confusion" (130987000)',
      consciousness('80288-4', { valueCodeableConcept: { coding: [{ system: SNOMED, code: '130987000' }] } }),
      'C',
    ],
    [
      '67775-7 as text only: "Alert"',
      consciousness('67775-7', { valueCodeableConcept: { text: 'Alert' } }),
      'A',
    ],
    ['80288-4 as valueString "Confused"', consciousness('80288-4', { valueString: 'Confused' }), 'C'],
    [
      'an unknown code whose display says "Mentally alert"',
      consciousness('80288-4', {
        valueCodeableConcept: { coding: [{ system: 'urn:local', code: 'X1', display: 'Mentally alert' }] },
      }),
      'A',
    ],
    ['"Responds to voice" as text', consciousness('67775-7', { valueString: 'Responds to voice' }), 'V'],
  ];
  for (const [name, resource, letter] of variants) {
    test(`${name} → ${letter}, and NEWS2 is computed`, () => {
      const { s, a } = run([resource]);
      assert.equal(s.vitals.avpu?.latest?.code, letter);
      assert.notEqual(a.scores.news2.total, null, 'NEWS2 must not count consciousness as missing');
      assert.equal(a.scores.news2.total, letter === 'A' ? 0 : 3);
      assert.notEqual(a.scores.qsofa.total, null);
    });
  }
});

test('an Observation coding acute confusion (SNOMED 130987000) as the finding itself reads as ACVPU C', () => {
  const finding = {
    resourceType: 'Observation',
    id: 'confusion-finding',
    status: 'final',
    category: VITAL,
    code: { coding: [{ system: SNOMED, code: '130987000', display: 'Acute confusion' }] },
    effectiveDateTime: ago(10),
  } as Resource;
  const { s, a } = run([finding]);
  assert.equal(s.vitals.avpu?.latest?.code, 'C');
  assert.equal(s.notUnderstood, undefined);
  assert.ok(a.triage.rules?.some((r) => r.id === 'altered-mentation'));
});

describe('GCS from its components', () => {
  const part = (id: string, code: string, value: Record<string, unknown>) =>
    ({
      resourceType: 'Observation',
      id,
      status: 'final',
      category: VITAL,
      code: { coding: [{ system: LOINC, code }] },
      effectiveDateTime: ago(20),
      ...value,
    }) as Resource;

  test('eye, verbal and motor as numbers make a total (E4 V4 M6 = 14)', () => {
    const { s, a } = run([
      part('e', '9267-6', { valueInteger: 4 }),
      part('v', '9270-0', { valueInteger: 4 }),
      part('m', '9268-4', { valueInteger: 6 }),
    ]);
    assert.equal(s.vitals.gcs?.latest?.value, 14);
    assert.ok(a.triage.rules?.some((r) => r.id === 'altered-mentation'));
  });

  test('as LOINC answer codes inside one panel (E2 V2 M4 = 8, ESI 1)', () => {
    const panel = {
      resourceType: 'Observation',
      id: 'gcs-panel',
      status: 'final',
      category: VITAL,
      code: { coding: [{ system: LOINC, code: '9269-2' }] },
      effectiveDateTime: ago(20),
      component: [
        {
          code: { coding: [{ system: LOINC, code: '9267-6' }] },
          valueCodeableConcept: { coding: [{ system: LOINC, code: 'LA6554-5' }] },
        },
        {
          code: { coding: [{ system: LOINC, code: '9270-0' }] },
          valueCodeableConcept: { coding: [{ system: LOINC, code: 'LA6558-6' }] },
        },
        {
          code: { coding: [{ system: LOINC, code: '9268-4' }] },
          valueCodeableConcept: { coding: [{ system: LOINC, code: 'LA6565-1' }] },
        },
      ],
    } as Resource;
    const { s, a } = run([panel]);
    assert.equal(s.vitals.gcs?.latest?.value, 8);
    assert.equal(a.triage.floorLevel, 1);
  });

  test('two components only: no total is invented', () => {
    const { s } = run([part('e', '9267-6', { valueInteger: 4 }), part('v', '9270-0', { valueInteger: 5 })]);
    assert.equal(s.vitals.gcs, undefined);
  });

  test('a GCS below the earlier documented one says so', () => {
    const earlier = obs('gcs-old', '9269-2', 15, '{score}', 300);
    const now = obs('gcs-now', '9269-2', 12, '{score}', 10);
    const { a } = run([earlier, now]);
    const rule = a.triage.rules?.find((r) => r.id === 'altered-mentation');
    assert.match(rule?.reason ?? '', /GCS 12 is below the earlier documented 15/);
    assert.ok(rule?.evidence.includes('Observation/gcs-old'));
  });
});

describe('temperature and blood pressure variants', () => {
  const noT = BASE.filter((r) => r.id !== 't');
  const noBp = BASE.filter((r) => r.id !== 'sbp' && r.id !== 'dbp');
  for (const [code, value, unit] of [
    ['8331-1', 38.4, 'Cel'],
    ['8332-9', 38.4, 'Cel'],
    ['8333-7', 38.4, 'Cel'],
    ['8328-7', 38.4, 'Cel'],
    ['75539-7', 38.4, 'Cel'],
    ['8310-5', 101.1, '[degF]'],
  ] as const) {
    test(`temperature under ${code} (${value} ${unit}) scores 1 NEWS2 point`, () => {
      const { a } = run(
        [obs(`t-${code}`, code, value, unit), consciousness('67775-7', { valueString: 'Alert' })],
        noT,
      );
      assert.equal(a.scores.news2.total, 1);
    });
  }
  for (const [sys, dia] of [
    ['8459-0', '8453-3'],
    ['8460-8', '8454-1'],
    ['8461-6', '8455-8'],
  ] as const) {
    test(`systolic ${sys} / diastolic ${dia} are read as blood pressure`, () => {
      const { s, a } = run(
        [
          obs('s', sys, 88, 'mm[Hg]'),
          obs('d', dia, 50, 'mm[Hg]'),
          consciousness('67775-7', { valueString: 'Alert' }),
        ],
        noBp,
      );
      assert.equal(s.vitals.systolicBP?.latest?.value, 88);
      assert.equal(a.scores.news2.total, 3);
    });
  }
});

describe('vital signs CiteCare cannot read', () => {
  const unknown = {
    resourceType: 'Observation',
    id: 'odd-vital',
    status: 'final',
    category: VITAL,
    code: { coding: [{ system: LOINC, code: '99999-9', display: 'Some new vital sign' }] },
    effectiveDateTime: ago(15),
    valueQuantity: { value: 7, unit: '1' },
  } as Resource;

  test('a current one is listed as not understood, with a warning naming the code', () => {
    const { s, a } = run([unknown]);
    assert.deepEqual(
      s.notUnderstood?.map((n) => [n.source, n.code]),
      [['Observation/odd-vital', '99999-9']],
    );
    assert.ok(s.warnings.some((w) => /Observation\/odd-vital: not understood: LOINC 99999-9/.test(w)));
    assert.equal(
      a.triage.lowRisk?.eligible,
      false,
      'a level below 3 is not allowed past an unread vital sign',
    );
  });

  test('the body-size measurements every chart carries (weight, height, BMI, head circumference) are known, not reported', () => {
    const sizes = ['29463-7', '8302-2', '8306-3', '39156-5', '59576-9', '77606-2', '9843-4', '8289-1'].map(
      (code, i) => ({ ...unknown, id: `size-${i}`, code: { coding: [{ system: LOINC, code }] } }) as Resource,
    );
    const { s, a } = run(sizes);
    assert.deepEqual(s.notUnderstood ?? [], []);
    assert.ok(!s.warnings.some((w) => /not understood/.test(w)));
    assert.ok(!(a.triage.lowRisk?.blockers ?? []).some((b) => /not understood/.test(b)));
  });

  test('a code that is not scored (mean BP) is reported too; a stale one and a read panel are not', () => {
    const map = { ...unknown, id: 'map', code: { coding: [{ system: LOINC, code: '8478-0' }] } } as Resource;
    const old = { ...unknown, id: 'old', effectiveDateTime: ago(60 * 24 * 30) } as Resource;
    const panel = {
      ...unknown,
      id: 'panel',
      code: { coding: [{ system: LOINC, code: '99998-1' }] },
      component: [
        { code: { coding: [{ system: LOINC, code: '8867-4' }] }, valueQuantity: { value: 80, unit: '/min' } },
      ],
    } as Resource;
    const { s } = run([map, old, panel]);
    assert.deepEqual(
      s.notUnderstood?.map((n) => n.code),
      ['8478-0'],
    );
  });
});

describe('pregnancy and gestational age', () => {
  test('a gestational-age observation makes the patient pregnant, with the weeks', () => {
    const ga = obs('ga', '49051-6', 32, 'wk', 60 * 24);
    const { s } = run([ga]);
    assert.equal(s.patient.pregnant, true);
    assert.deepEqual(s.patient.pregnancy, { sources: ['Observation/ga'], gestationalWeeks: 32 });
  });

  test('an estimated delivery date 8 weeks ahead is 32 weeks', () => {
    const edd = {
      resourceType: 'Observation',
      id: 'edd',
      status: 'final',
      code: { coding: [{ system: LOINC, code: '11778-8' }] },
      effectiveDateTime: ago(60 * 24),
      valueDateTime: new Date(AT.getTime() + 56 * 24 * 3_600_000).toISOString(),
    } as Resource;
    assert.equal(run([edd]).s.patient.pregnancy?.gestationalWeeks, 32);
  });
});
