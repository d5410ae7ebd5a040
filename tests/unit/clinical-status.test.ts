// One status vocabulary (src/clinical/status.ts): a condition or medicine the snapshot keeps as
// current is exactly the one the model is shown under ACTIVE CONDITIONS / MEDICATIONS, for every
// status value, a missing clinicalStatus included.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Resource } from '@medplum/fhirtypes';
import { assess } from '../../src/clinical/assess/assess.ts';
import { buildSnapshot } from '../../src/clinical/snapshot/build.ts';
import { renderAdviceInput } from '../../src/llm/render.ts';
import { AT, patient } from './clinical-snapshot-fixtures.ts';

/** What the model is shown: the lines of one section of the rendered input. */
function renderedSection(resources: Resource[], heading: string): string[] {
  const snapshot = buildSnapshot([patient, ...resources], { at: AT });
  const { text } = renderAdviceInput({ snapshot, assessment: assess(snapshot), passages: [] });
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) return [];
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('- '));
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

function condition(clinical: string | undefined, verification?: string): Resource {
  return {
    resourceType: 'Condition',
    id: 'c1',
    ...(clinical ? { clinicalStatus: { coding: [{ code: clinical }] } } : {}),
    ...(verification ? { verificationStatus: { coding: [{ code: verification }] } } : {}),
    code: {
      coding: [{ system: 'http://snomed.info/sct', code: '709044004', display: 'Chronic kidney disease' }],
    },
  } as Resource;
}

describe('conditions: one vocabulary for the snapshot and the model input', () => {
  const cases: Array<[string | undefined, string | undefined, boolean]> = [
    [undefined, undefined, true],
    [undefined, 'confirmed', true],
    ['active', undefined, true],
    ['recurrence', 'confirmed', true],
    ['relapse', 'confirmed', true],
    ['active', 'provisional', true],
    ['active', 'differential', true],
    ['active', 'unconfirmed', true],
    ['inactive', 'confirmed', false],
    ['remission', 'confirmed', false],
    ['resolved', 'confirmed', false],
    ['active', 'refuted', false],
    ['active', 'entered-in-error', false],
    [undefined, 'refuted', false],
  ];
  for (const [clinical, verification, current] of cases) {
    test(`clinicalStatus ${clinical ?? '(none)'}, verificationStatus ${verification ?? '(none)'}: ${current ? 'current' : 'left out'}`, () => {
      const snapshot = buildSnapshot([patient, condition(clinical, verification)], { at: AT });
      assert.equal(snapshot.conditions.length, current ? 1 : 0, 'in the snapshot');
      const shown = renderedSection([condition(clinical, verification)], 'ACTIVE CONDITIONS:');
      assert.equal(shown.length, current ? 1 : 0, 'in the model input');
      if (current) assert.match(shown[0]!, /Chronic kidney disease/);
    });
  }
});

function medication(resourceType: 'MedicationRequest' | 'MedicationStatement', status: string): Resource {
  return {
    resourceType,
    id: 'm1',
    status,
    ...(resourceType === 'MedicationRequest' ? { intent: 'order' } : {}),
    medicationCodeableConcept: { text: 'Lisinopril 10 MG Oral Tablet' },
  } as Resource;
}

describe('medicines: one vocabulary for the snapshot and the model input', () => {
  const cases: ReadonlyArray<readonly ['MedicationRequest' | 'MedicationStatement', string, boolean]> = [
    ...['active'].map((s) => ['MedicationRequest', s, true] as const),
    ...['on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown'].map(
      (s) => ['MedicationRequest', s, false] as const,
    ),
    ...['active', 'intended'].map((s) => ['MedicationStatement', s, true] as const),
    ...['completed', 'entered-in-error', 'stopped', 'on-hold', 'unknown', 'not-taken'].map(
      (s) => ['MedicationStatement', s, false] as const,
    ),
  ];
  for (const [type, status, current] of cases) {
    test(`${type} ${status}: ${current ? 'current' : 'left out'}`, () => {
      const snapshot = buildSnapshot([patient, medication(type, status)], { at: AT });
      assert.equal(snapshot.medications.length, current ? 1 : 0, 'in the snapshot');
      const shown = renderedSection([medication(type, status)], 'MEDICATIONS:');
      assert.equal(shown.length, current ? 1 : 0, 'in the model input');
    });
  }
});
