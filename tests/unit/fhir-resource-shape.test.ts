import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { malformedField } from '../../src/fhir/resource-shape.ts';
import { SHARED_FHIR_DIR } from '../helpers/shared-data.ts';

const r = (x: Record<string, unknown>) => x as unknown as Resource;

describe('malformedField accepts valid R4 shapes that real servers send', () => {
  const valid: Array<[string, Resource]> = [
    [
      'a Patient with a name prefix, address lines, a contact and a primitive extension',
      r({
        resourceType: 'Patient',
        id: 'p1',
        name: [{ use: 'official', prefix: ['Mrs.'], given: ['Ana'], family: 'Lee' }],
        address: [{ line: ['1 Main St', 'Flat 2'], city: 'X' }],
        contact: [{ name: { family: 'Lee' }, address: { line: ['1 Main St'] } }],
        birthDate: '1970-01-01',
        _birthDate: { extension: [{ url: 'http://example.org/t', valueDateTime: '1970-01-01T10:00:00Z' }] },
        _gender: { id: 'g' },
      }),
    ],
    [
      'an Encounter with reasons and a diagnosis use',
      r({
        resourceType: 'Encounter',
        id: 'e1',
        status: 'finished',
        reasonCode: [
          { coding: [{ system: 'http://snomed.info/sct', code: '444814009', display: 'Sinusitis' }] },
        ],
        diagnosis: [{ condition: { reference: 'Condition/c1' }, use: { coding: [{ code: 'AD' }] } }],
      }),
    ],
    [
      'an Immunization with its vaccineCode',
      r({
        resourceType: 'Immunization',
        id: 'i1',
        status: 'completed',
        vaccineCode: { coding: [{ code: '140' }] },
      }),
    ],
    [
      'a Claim with sequence lists and an item category',
      r({
        resourceType: 'Claim',
        id: 'c1',
        item: [{ sequence: 1, diagnosisSequence: [1, 2], category: { coding: [{ code: '1' }] } }],
        supportingInfo: [{ sequence: 1, category: { coding: [{ code: 'info' }] } }],
      }),
    ],
    [
      'a CarePlan instantiating canonicals',
      r({ resourceType: 'CarePlan', id: 'cp', instantiatesCanonical: ['http://x/p'] }),
    ],
  ];
  for (const [name, resource] of valid) {
    it(name, () => assert.equal(malformedField(resource), undefined));
  }

  it('still refuses the shapes the snapshot cannot read', () => {
    const bad: Array<[Resource, string]> = [
      [r({ resourceType: 'Encounter', id: 'e', reasonCode: { text: 'x' } }), 'reasonCode'],
      [r({ resourceType: 'Encounter', id: 'e', reasonCode: ['chest pain'] }), 'reasonCode[0]'],
      [r({ resourceType: 'Observation', id: 'o', category: { coding: [] } }), 'category'],
      [r({ resourceType: 'Patient', id: 'p', name: { family: 'x' } }), 'name'],
      [r({ resourceType: 'Patient', id: 'p', _birthDate: '1970' }), '_birthDate'],
      [r({ resourceType: 'Patient', id: 'p', name: [{ prefix: [{}], given: [1] }] }), 'name[0].prefix[0]'],
      [
        r({ resourceType: 'Claim', id: 'c', item: [{ diagnosisSequence: [Number.NaN] }] }),
        'item[0].diagnosisSequence[0]',
      ],
      [r({ resourceType: 'Observation', id: 'o', code: { coding: ['8310-5'] } }), 'code.coding[0]'],
    ];
    for (const [resource, path] of bad)
      assert.equal(malformedField(resource), path, JSON.stringify(resource));
  });

  it('keeps every Patient, Encounter, Condition, Observation and medicine of the shared Synthea charts', () => {
    const dir = `${SHARED_FHIR_DIR}/synthea-r4`;
    const read = new Set([
      'Patient',
      'Encounter',
      'Condition',
      'Observation',
      'MedicationRequest',
      'AllergyIntolerance',
    ]);
    const dropped: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const bundle = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as Bundle;
      for (const e of bundle.entry ?? []) {
        if (!e.resource || !read.has(e.resource.resourceType)) continue;
        const problem = malformedField(e.resource);
        if (problem) dropped.push(`${file}: ${e.resource.resourceType} ${problem}`);
      }
    }
    assert.deepEqual(dropped.slice(0, 5), []);
  });
});
