// Real Synthea resources are well-formed FHIR: the prefetch shape check must not skip them (a skipped
// Patient turns every patient-view on a real chart into a 412).
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Resource } from '@medplum/fhirtypes';
import { malformedField } from '../../src/fhir/resource-shape.ts';
import { SYNTHEA_DIR } from '../helpers/shared-data.ts';

describe('resource shape check on the shared Synthea charts', () => {
  it('finds nothing malformed in any Patient, Condition, MedicationRequest or Observation', async () => {
    const kinds = new Set(['Patient', 'Condition', 'MedicationRequest', 'Observation']);
    for (const f of (await readdir(SYNTHEA_DIR)).filter((x) => x.endsWith('.json'))) {
      const bundle = JSON.parse(await readFile(join(SYNTHEA_DIR, f), 'utf8')) as {
        entry: Array<{ resource: Resource }>;
      };
      for (const { resource } of bundle.entry.filter((e) => kinds.has(e.resource.resourceType)))
        assert.equal(malformedField(resource), undefined, `${f}: ${resource.resourceType}/${resource.id}`);
    }
  });

  it('still refuses a name prefix or address line that is not a string', () => {
    const bad = { resourceType: 'Patient', name: [{ prefix: [42] }] } as unknown as Resource;
    assert.equal(malformedField(bad), 'name[0].prefix[0]');
    const badLine = { resourceType: 'Patient', address: [{ line: [{}] }] } as unknown as Resource;
    assert.equal(malformedField(badLine), 'address[0].line[0]');
  });
});
