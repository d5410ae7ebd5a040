import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { testConfig } from '../../src/config.ts';
import { buildApp } from '../../src/server/app.ts';
import { standardPlugins } from '../../src/server/plugins.ts';
import { createRuntime, type Runtime } from '../../src/server/runtime.ts';
import { freePort } from './smart-testbed.ts';

describe('SMART app in the full application against the bundled demo FHIR server (open, no OAuth)', () => {
  let app: FastifyInstance;
  let runtime: Runtime;
  let base: string;
  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = testConfig({ PUBLIC_BASE_URL: base, DEMO_FHIR: 'on', SMART_OPEN_SERVERS: `${base}/fhir` });
    runtime = await createRuntime(config, { cdsClients: [] });
    app = await buildApp(runtime, { plugins: standardPlugins(config) });
    await app.listen({ host: '127.0.0.1', port });
  });
  after(async () => {
    await app?.close();
    await runtime?.close();
  });

  it('launches with ?iss=<demo server>&patient=<id>, assesses and writes the decision back', async () => {
    const launch = await app.inject({
      method: 'GET',
      url: `/smart/launch?iss=${encodeURIComponent(`${base}/fhir`)}&patient=demo-sepsis`,
    });
    assert.equal(launch.statusCode, 303, launch.body);
    const cookie = String(launch.headers['set-cookie']).split(';')[0];
    const handle = new URL(String(launch.headers.location), base).searchParams.get('session') ?? '';
    const ctx = (
      await app.inject({
        method: 'GET',
        url: '/smart/api/context',
        headers: { cookie, 'x-citecare-session': handle },
      })
    ).json();
    assert.equal(ctx.mode, 'open');
    assert.ok(ctx.patient.name);
    const headers = {
      cookie,
      'x-citecare-session': handle,
      origin: base,
      'x-csrf-token': ctx.csrfToken,
      'content-type': 'application/json',
    };
    const assessed = await app.inject({
      method: 'POST',
      url: '/smart/api/assess',
      headers,
      payload: { chiefComplaint: 'fever and confusion' },
    });
    assert.equal(assessed.statusCode, 200, assessed.body);
    const view = assessed.json();
    assert.ok(view.triage.level <= 2, `the sepsis demo patient is urgent (got level ${view.triage.level})`);
    const decided = await app.inject({
      method: 'POST',
      url: '/smart/api/decision',
      headers,
      payload: { action: 'accept', assessmentId: view.assessmentId },
    });
    assert.equal(decided.statusCode, 201, decided.body);
    const [type, id] = String(decided.json().observation).split('/');
    const stored = await app.inject({ method: 'GET', url: `/fhir/${type}/${id}` });
    assert.equal(stored.statusCode, 200);
    const obs = stored.json();
    assert.equal(obs.code.coding[0].code, '11283-9');
    assert.equal(obs.valueCodeableConcept.coding[0].code, String(view.triage.level));
    assert.equal(obs.subject.reference, 'Patient/demo-sepsis');
  });

  it('serves the page with a strict content security policy', async () => {
    const page = await app.inject({ method: 'GET', url: '/smart/' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    assert.match(page.body, /<label for="chief-complaint">Chief complaint<\/label>/);
  });
});
