// The FhirGateway contract: the same cases against the fhir-kit adapter (over HTTP, on the embedded
// demo FHIR server) and the in-memory adapter, so tests that use the memory gateway as their FHIR
// source can trust it to answer as a server would.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Bundle, Observation, Resource } from '@medplum/fhirtypes';
import Fastify, { type FastifyInstance } from 'fastify';
import { demoFhirPlugin } from '../../src/demo-fhir/fhir-server.ts';
import { DemoFhirStore } from '../../src/demo-fhir/fhir-store.ts';
import { createFhirKitGateway } from '../../src/fhir/fhir-kit-gateway.ts';
import { type FhirGateway, FhirGatewayError } from '../../src/fhir/gateway.ts';
import { createMemoryGateway } from '../../src/fhir/memory-gateway.ts';

const SYSTEM = 'urn:citecare:test-assessment';

function observation(i: number, identifier?: string): Observation {
  return {
    resourceType: 'Observation',
    id: `obs-${i}`,
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
        ],
      },
    ],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }], text: 'Heart rate' },
    subject: { reference: 'Patient/pt-1' },
    effectiveDateTime: `2026-03-01T08:${String(i).padStart(2, '0')}:00Z`,
    valueQuantity: { value: 80 + i, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    ...(identifier ? { identifier: [{ system: SYSTEM, value: identifier }] } : {}),
  };
}

/** One patient, 25 heart rates (two of them share an identifier), one other patient's note. */
function chart(): Resource[] {
  return [
    { resourceType: 'Patient', id: 'pt-1', name: [{ family: 'Contract' }] },
    { resourceType: 'Patient', id: 'pt-2' },
    ...Array.from({ length: 25 }, (_, i) => observation(i, i < 2 ? 'twice' : `rec-${i}`)),
    {
      resourceType: 'Observation',
      id: 'other',
      status: 'final',
      code: { text: 'Heart rate' },
      subject: { reference: 'Patient/pt-2' },
    },
  ];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The embedded demo FHIR server holding `chart()`, listening on 127.0.0.1. */
async function startDemoServer(): Promise<{ app: FastifyInstance; baseUrl: string }> {
  const store = new DemoFhirStore();
  await store.loadBundle({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: chart().map((resource) => ({
      resource,
      request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
    })),
  });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}/fhir`;
  const app = Fastify({ logger: false });
  await app.register(demoFhirPlugin, { prefix: '/fhir', baseUrl, store });
  await app.listen({ port, host: '127.0.0.1' });
  return { app, baseUrl };
}

function contract(name: string, open: () => Promise<{ gateway: FhirGateway; close(): Promise<void> }>) {
  describe(`FhirGateway contract: ${name}`, () => {
    let gateway: FhirGateway;
    let close: () => Promise<void>;
    before(async () => {
      ({ gateway, close } = await open());
    });
    after(() => close());

    it('reads a resource, and answers null for one that does not exist', async () => {
      const patient = await gateway.read('Patient', 'pt-1');
      assert.equal(patient?.resourceType, 'Patient');
      assert.equal(patient?.id, 'pt-1');
      assert.equal(await gateway.read('Patient', 'no-such-patient'), null);
      assert.equal((await gateway.query('Patient/pt-1'))?.id, 'pt-1');
    });

    it('searches by patient and category as the prefetch templates do', async () => {
      const found = await gateway.search('Observation', { patient: 'pt-1', category: 'vital-signs' });
      assert.equal(found.length, 25);
      assert.ok(found.every((r) => (r as Observation).subject?.reference === 'Patient/pt-1'));
      assert.deepEqual(await gateway.search('Observation', { patient: 'pt-9' }), []);
    });

    it('pages: _count with _sort=-date gives the newest first; collect returns every match', async () => {
      const newest = await gateway.search('Observation', { patient: 'pt-1', _sort: '-date', _count: '3' });
      assert.deepEqual(
        newest.map((r) => r.id),
        ['obs-24', 'obs-23', 'obs-22'],
      );
      const bundle = await gateway.query('Observation?patient=pt-1&category=vital-signs');
      assert.equal(bundle?.resourceType, 'Bundle');
      const { resources, truncated } = await gateway.collect(bundle as Bundle);
      assert.equal(resources.length, 25);
      assert.equal(truncated, false);
    });

    it('creates once under a condition: a repeat returns the stored resource instead of a second', async () => {
      const fresh: Observation = { ...observation(40, 'decision-1'), id: undefined };
      const first = await gateway.createIfNoneExist(fresh, `identifier=${SYSTEM}|decision-1`);
      assert.ok(first.id);
      assert.equal(first.resource?.id, first.id);
      assert.equal(first.resource?.effectiveDateTime, fresh.effectiveDateTime);
      const again = await gateway.createIfNoneExist(fresh, `identifier=${SYSTEM}|decision-1`);
      assert.equal(again.id, first.id);
      const stored = await gateway.search('Observation', { identifier: `${SYSTEM}|decision-1` });
      assert.equal(stored.length, 1);
      assert.equal((await gateway.read('Observation', first.id))?.id, first.id);
    });

    it('returns the existing resource when the condition already matches one', async () => {
      const { id: _id, ...other } = observation(41);
      const existing = await gateway.createIfNoneExist(other, `identifier=${SYSTEM}|rec-5`);
      assert.equal(existing.id, 'obs-5');
      assert.equal(existing.resource?.effectiveDateTime, observation(5).effectiveDateTime);
    });

    it('refuses a condition that matches several resources with a typed HTTP 412 error', async () => {
      const { id: _id, ...other } = observation(42);
      await assert.rejects(gateway.createIfNoneExist(other, `identifier=${SYSTEM}|twice`), (err) => {
        assert.ok(err instanceof FhirGatewayError);
        assert.equal(err.kind, 'http');
        assert.equal(err.status, 412);
        assert.equal((err.body as { resourceType?: string }).resourceType, 'OperationOutcome');
        return true;
      });
    });
  });
}

contract('fhir-kit-client on the embedded demo FHIR server', async () => {
  const { app, baseUrl } = await startDemoServer();
  return {
    gateway: createFhirKitGateway({ baseUrl, timeoutMs: 5000, maxPages: 5 }),
    close: () => app.close(),
  };
});

contract('in memory', async () => ({ gateway: createMemoryGateway(chart()), close: async () => {} }));
