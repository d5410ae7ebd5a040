// Reading Bundle files: transaction (urn:uuid references), collection and searchset; typed errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { BundleFileError, readBundleFile, resourcesFromBundle } from '../../src/fhir/bundle-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'citecare-bundle-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('bundle files', () => {
  test('transaction: urn:uuid references become Type/id, ids come from the resource or the uuid', async () => {
    const p = write(
      'tx.json',
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:aaaa-1',
            resource: { resourceType: 'Patient', id: '355' },
            request: { method: 'PUT', url: 'Patient/355' },
          },
          {
            fullUrl: 'urn:uuid:bbbb-2',
            resource: { resourceType: 'Medication', code: { text: 'warfarin' } },
            request: { method: 'POST', url: 'Medication' },
          },
          {
            fullUrl: 'urn:uuid:cccc-3',
            resource: {
              resourceType: 'MedicationRequest',
              status: 'active',
              subject: { reference: 'urn:uuid:aaaa-1' },
              medicationReference: { reference: 'urn:uuid:bbbb-2' },
            },
            request: { method: 'POST', url: 'MedicationRequest' },
          },
          { request: { method: 'DELETE', url: 'Observation/old' } },
        ],
      }),
    );
    const b = await readBundleFile(p);
    assert.equal(b.type, 'transaction');
    assert.equal(b.skipped, 1);
    assert.deepEqual(
      b.resources.map((r) => `${r.resourceType}/${r.id}`),
      ['Patient/355', 'Medication/bbbb-2', 'MedicationRequest/cccc-3'],
    );
    const mr = b.resources[2] as {
      subject: { reference: string };
      medicationReference: { reference: string };
    };
    assert.equal(mr.subject.reference, 'Patient/355');
    assert.equal(mr.medicationReference.reference, 'Medication/bbbb-2');
  });

  test('searchset: outcome entries skipped; collection passes resources through', () => {
    const s = resourcesFromBundle({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        {
          fullUrl: 'https://x/fhir/Observation/o1',
          resource: { resourceType: 'Observation', id: 'o1' },
          search: { mode: 'match' },
        },
        { resource: { resourceType: 'OperationOutcome' }, search: { mode: 'outcome' } },
      ],
    });
    assert.deepEqual(
      s.resources.map((r) => r.id),
      ['o1'],
    );
    const c = resourcesFromBundle({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { resourceType: 'Patient', id: 'x' } }],
    });
    assert.equal(c.resources.length, 1);
    assert.equal(resourcesFromBundle({ resourceType: 'Bundle', type: 'collection' }).resources.length, 0);
  });

  test('typed errors: missing file, invalid JSON, not a Bundle, unsupported type, malformed entry', async () => {
    const code = async (p: string) => {
      try {
        await readBundleFile(p);
        return 'no error';
      } catch (err) {
        assert.ok(err instanceof BundleFileError);
        return err.code;
      }
    };
    assert.equal(await code(join(dir, 'nope.json')), 'not-found');
    assert.equal(await code(write('bad.json', '{"resourceType": "Bundle", ')), 'invalid-json');
    assert.equal(await code(write('patient.json', '{"resourceType": "Patient", "id": "x"}')), 'not-a-bundle');
    assert.equal(
      await code(write('history.json', '{"resourceType": "Bundle", "type": "history"}')),
      'unsupported-type',
    );
    assert.equal(
      await code(
        write(
          'entry.json',
          '{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"id": 1}}]}',
        ),
      ),
      'not-a-bundle',
    );
    assert.equal(await code(dir), 'unreadable');
  });
});
