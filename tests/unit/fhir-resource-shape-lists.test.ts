import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resource } from '@medplum/fhirtypes';
import { malformedField } from '../../src/fhir/resource-shape.ts';

describe('resource shape check at the FHIR edge', () => {
  it('accepts real-world shapes: name prefixes, address lines, CodeableConcepts named …Code', () => {
    const patient = {
      resourceType: 'Patient',
      id: 'p1',
      name: [{ use: 'official', family: 'Kshlerin', given: ['Danae'], prefix: ['Mrs.'] }],
      address: [{ line: ['12 Main St', 'Flat 2'], city: 'Boston' }],
    } as Resource;
    assert.equal(malformedField(patient), undefined);
    const encounter = {
      resourceType: 'Encounter',
      id: 'e1',
      status: 'finished',
      reasonCode: [{ coding: [{ system: 'http://snomed.info/sct', code: '444814009' }] }],
    } as Resource;
    assert.equal(malformedField(encounter), undefined);
    const immunization = {
      resourceType: 'Immunization',
      id: 'i1',
      status: 'completed',
      vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '140' }], text: 'Influenza' },
    } as Resource;
    assert.equal(malformedField(immunization), undefined);
  });

  it('still refuses impossible types inside them', () => {
    const badReason = {
      resourceType: 'Encounter',
      id: 'e1',
      reasonCode: [{ coding: 'not-a-list' }],
    } as unknown as Resource;
    assert.equal(malformedField(badReason), 'reasonCode[0].coding');
    const badCode = {
      resourceType: 'Encounter',
      id: 'e1',
      reasonCode: ['plain string'],
    } as unknown as Resource;
    assert.equal(malformedField(badCode), 'reasonCode[0]');
    const badGender = { resourceType: 'Patient', id: 'p1', gender: 7 } as unknown as Resource;
    assert.equal(malformedField(badGender), 'gender');
  });
});
