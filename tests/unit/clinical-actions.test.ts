// The action catalogue: the only FHIR changes a card can carry, each validated here.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACTION_CATALOGUE, catalogueAction, isCatalogueKey, suggest } from '../../src/clinical/actions.ts';

/** The first coding of a created ServiceRequest (fails the test when there is none). */
function firstCoding(key: string): { system: string; code: string } {
  const a = catalogueAction(key, { patientId: 'Patient/p1' });
  assert.ok(a?.resource, `${key} creates a resource`);
  const code = a.resource.code as { coding: Array<{ system: string; code: string }> };
  return code.coding[0];
}

describe('action catalogue', () => {
  test('order-lactate creates a draft ServiceRequest coded LOINC 2524-7 for the patient and encounter', () => {
    const a = catalogueAction('order-lactate', {
      patientId: 'p1',
      encounterId: 'e1',
      at: '2026-03-01T12:00:00Z',
    });
    assert.ok(a);
    assert.equal(a.type, 'create');
    assert.equal(a.resource?.resourceType, 'ServiceRequest');
    assert.deepEqual(a.resource?.code, {
      coding: [
        { system: 'http://loinc.org', code: '2524-7', display: 'Lactate [Moles/volume] in Serum or Plasma' },
      ],
      text: 'Order serum lactate',
    });
    assert.deepEqual(a.resource?.subject, { reference: 'Patient/p1' });
    assert.deepEqual(a.resource?.encounter, { reference: 'Encounter/e1' });
    assert.equal(a.resource?.status, 'draft');
    assert.equal(a.resource?.authoredOn, '2026-03-01T12:00:00Z');
  });

  test('every order entry produces a coded ServiceRequest', () => {
    for (const [key, entry] of Object.entries(ACTION_CATALOGUE)) {
      const a = catalogueAction(key, { patientId: 'Patient/p1', targetRef: 'MedicationRequest/d1' });
      if (entry.kind === 'order') {
        assert.equal(a?.type, 'create', key);
        const coding = firstCoding(key);
        assert.match(coding.system, /^http:\/\/(loinc\.org|snomed\.info\/sct)$/);
        assert.ok(coding.code.length > 0);
        assert.deepEqual(a?.resource?.subject, { reference: 'Patient/p1' });
      } else if (entry.kind === 'delete-draft') {
        assert.deepEqual(a, {
          type: 'delete',
          description: 'Remove the draft order. (MedicationRequest/d1)',
          resourceId: 'MedicationRequest/d1',
        });
      } else {
        assert.equal(a, null, `${key} is link-only`);
      }
    }
  });

  test('blood cultures 600-7, ECG SNOMED 29303009, potassium 2823-3', () => {
    const code = (k: string) => firstCoding(k).code;
    assert.equal(code('order-blood-cultures'), '600-7');
    assert.equal(code('order-ecg'), '29303009');
    assert.equal(code('order-potassium-recheck'), '2823-3');
  });

  test('remove-draft-order needs a well-formed Type/id; unknown keys give nothing', () => {
    assert.equal(catalogueAction('remove-draft-order', { patientId: 'p' }), null);
    assert.equal(
      catalogueAction('remove-draft-order', { patientId: 'p', targetRef: 'javascript:alert(1)' }),
      null,
    );
    assert.equal(catalogueAction('give-10mg-morphine', { patientId: 'p' }), null);
    assert.equal(isCatalogueKey('order-ecg'), true);
    assert.equal(isCatalogueKey('toString'), false);
  });

  test('suggestion labels come from the catalogue', () => {
    assert.deepEqual(
      suggest('remove-draft-order', { targetRef: 'MedicationRequest/x', isRecommended: true }),
      {
        action: 'remove-draft-order',
        label: 'Remove this draft order',
        targetRef: 'MedicationRequest/x',
        isRecommended: true,
      },
    );
  });
});
