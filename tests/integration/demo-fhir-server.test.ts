import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Bundle, CapabilityStatement, Observation, Patient } from '@medplum/fhirtypes';
import Fastify, { type FastifyInstance } from 'fastify';
import { fixedClock } from '../../src/clinical/clock.ts';
import { DEMO_PATIENTS } from '../../src/demo-fhir/demo-patients.ts';
import { demoFhirPlugin } from '../../src/demo-fhir/fhir-server.ts';

const NOW = '2026-06-15T08:00:00.000Z';
const FHIR = 'application/fhir+json';

describe('demo FHIR server', () => {
  let app: FastifyInstance;
  before(async () => {
    app = Fastify();
    await app.register(demoFhirPlugin, {
      prefix: '/fhir',
      baseUrl: 'http://demo.test/fhir',
      clock: fixedClock(NOW),
    });
    await app.ready();
  });
  after(() => app.close());

  it('states its own capabilities and says it is an open server', async () => {
    const res = await app.inject({ method: 'GET', url: '/fhir/metadata' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /application\/fhir\+json/);
    const cs = res.json<CapabilityStatement>();
    assert.equal(cs.resourceType, 'CapabilityStatement');
    assert.equal(cs.fhirVersion, '4.0.1');
    assert.match(cs.description ?? '', /without security/i);
    assert.ok(cs.rest?.[0]?.resource?.some((r) => r.type === 'Observation'));
  });

  it('loads every demo patient under its stable id', async () => {
    assert.ok(DEMO_PATIENTS.length >= 8);
    for (const p of DEMO_PATIENTS) {
      const res = await app.inject({ method: 'GET', url: `/fhir/Patient/${p.id}` });
      assert.equal(res.statusCode, 200, p.id);
      const patient = res.json<Patient>();
      assert.equal(patient.id, p.id);
      const enc = await app.inject({ method: 'GET', url: `/fhir/Encounter?patient=${p.id}` });
      assert.equal(enc.json<Bundle>().entry?.length, 1, `${p.id} has one encounter`);
    }
  });

  it('answers a prefetch-style search with a bare patient id, newest first, dated relative to now', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/fhir/Observation?patient=demo-sepsis&category=vital-signs&_sort=-date&_count=200',
    });
    assert.equal(res.statusCode, 200);
    const bundle = res.json<Bundle<Observation>>();
    assert.equal(bundle.type, 'searchset');
    const obs = (bundle.entry ?? []).map((e) => e.resource!);
    assert.ok(obs.length >= 10);
    assert.ok(bundle.entry?.[0]?.fullUrl?.startsWith('http://demo.test/fhir/Observation/'));
    const times = obs.map((o) => Date.parse(o.effectiveDateTime!));
    assert.deepEqual(
      [...times].sort((a, b) => b - a),
      times,
    );
    const newestAgeMin = (Date.parse(NOW) - times[0]!) / 60_000;
    assert.equal(newestAgeMin, 30, 'the latest vitals were taken 30 minutes before "now"');
    const hr = obs.find((o) => o.id === 'demo-sepsis-hr-now');
    assert.equal(hr?.valueQuantity?.value, 118);
  });

  it('supports POST _search with form parameters', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/fhir/MedicationRequest/_search',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'patient=demo-penicillin-allergy&status=draft',
    });
    assert.equal(res.statusCode, 200);
    const entries = res.json<Bundle>().entry ?? [];
    assert.deepEqual(
      entries.map((e) => e.resource?.id),
      ['demo-penicillin-allergy-amoxicillin-draft'],
    );
  });

  it('creates, updates and reads back resources, and 404s unknown ones', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/fhir/Observation',
      headers: { 'content-type': FHIR },
      payload: JSON.stringify({
        resourceType: 'Observation',
        status: 'final',
        code: { text: 'triage note' },
        subject: { reference: 'Patient/demo-healthy' },
      }),
    });
    assert.equal(created.statusCode, 201);
    const id = created.json<Observation>().id!;
    assert.equal(created.headers.location, `http://demo.test/fhir/Observation/${id}`);

    const put = await app.inject({
      method: 'PUT',
      url: '/fhir/Observation/client-chosen-id',
      headers: { 'content-type': FHIR },
      payload: JSON.stringify({
        resourceType: 'Observation',
        id: 'client-chosen-id',
        status: 'final',
        code: { text: 'x' },
      }),
    });
    assert.ok([200, 201].includes(put.statusCode));
    const read = await app.inject({ method: 'GET', url: '/fhir/Observation/client-chosen-id' });
    assert.equal(read.json<Observation>().code?.text, 'x');

    const missing = await app.inject({ method: 'GET', url: '/fhir/Patient/no-such-patient' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().resourceType, 'OperationOutcome');
  });

  it('runs a transaction and rewrites urn:uuid references', async () => {
    const uuid = '0b9f0c1e-5a4d-4f7e-9a41-3b2a1c0d9e8f';
    const res = await app.inject({
      method: 'POST',
      url: '/fhir',
      headers: { 'content-type': FHIR },
      payload: JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: `urn:uuid:${uuid}`,
            resource: { resourceType: 'Patient', name: [{ family: 'Transaction-Test' }] },
            request: { method: 'POST', url: 'Patient' },
          },
          {
            resource: {
              resourceType: 'Condition',
              id: 'tx-condition',
              subject: { reference: `urn:uuid:${uuid}` },
              code: { text: 'test' },
            },
            request: { method: 'PUT', url: 'Condition/tx-condition' },
          },
        ],
      }),
    });
    assert.equal(res.statusCode, 200);
    const out = res.json<Bundle>();
    assert.equal(out.type, 'transaction-response');
    const patientId = out.entry?.[0]?.resource?.id;
    const cond = await app.inject({ method: 'GET', url: '/fhir/Condition/tx-condition' });
    assert.equal(cond.json().subject.reference, `Patient/${patientId}`);
  });

  it('refuses a POST without a JSON body', async () => {
    const res = await app.inject({ method: 'POST', url: '/fhir/Observation' });
    assert.equal(res.statusCode, 400);
  });
});
