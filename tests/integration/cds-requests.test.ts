import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cdsResponseSchema } from '../../src/cards/card-schema.ts';
import { hookRequest } from '../fixtures/cds/patient.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

const SERVICES = {
  'patient-view': 'citecare-patient-view',
  'encounter-start': 'citecare-encounter-start',
  'order-select': 'citecare-order-select',
  'order-sign': 'citecare-order-sign',
} as const;

/** The spec's JSON rule: nothing null or empty anywhere (except the top-level cards array). */
function assertNoEmpty(value: unknown, path = '$'): void {
  if (value === null || value === undefined) assert.fail(`${path} is null`);
  if (typeof value === 'string') assert.ok(value.trim() !== '', `${path} is an empty string`);
  if (Array.isArray(value)) {
    assert.ok(value.length > 0 || path === '$.cards', `${path} is an empty array`);
    value.forEach((v, i) => {
      assertNoEmpty(v, `${path}[${i}]`);
    });
  } else if (typeof value === 'object') {
    assert.ok(Object.keys(value as object).length > 0, `${path} is an empty object`);
    for (const [k, v] of Object.entries(value as object)) assertNoEmpty(v, `${path}.${k}`);
  }
}

describe('CDS Hooks requests', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  async function post(id: string, payload: unknown, headers: Record<string, string> = {}) {
    const url = `/cds-services/${id}`;
    return t.app.inject({
      method: 'POST',
      url,
      headers: {
        authorization: `Bearer ${await t.token(url)}`,
        'content-type': 'application/json',
        ...headers,
      },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  }

  it('discovery lists the four services with prefetch templates and usage requirements', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/cds-services',
      headers: { authorization: `Bearer ${await t.token('/cds-services')}` },
    });
    assert.equal(res.statusCode, 200);
    const { services } = res.json();
    assertNoEmpty(services);
    assert.deepEqual(
      services.map((s: { hook: string; id: string }) => [s.hook, s.id]),
      Object.entries(SERVICES),
    );
    for (const s of services) {
      assert.ok(s.title && s.description && s.usageRequirements);
      assert.equal(s.prefetch.patient, 'Patient/{{context.patientId}}');
      for (const template of Object.values(s.prefetch) as string[])
        assert.match(template, /\{\{context\.(patientId|encounterId)\}\}/);
    }
  });

  for (const [hook, id] of Object.entries(SERVICES)) {
    it(`${hook}: a valid request gets spec-exact cards`, async () => {
      const res = await post(id, hookRequest(hook));
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      cdsResponseSchema.parse(body);
      assertNoEmpty(body);
      assert.ok(body.cards.length > 0, 'this patient warrants at least one card');
      for (const card of body.cards) {
        assert.ok(card.summary.length < 140);
        assert.match(card.source.label, /no model used/);
        for (const s of card.suggestions ?? []) assert.match(s.uuid, /^[0-9a-f-]{36}$/);
      }
    });
  }

  it('order-sign flags the amoxicillin draft for a penicillin-allergic patient and suggests removing it', async () => {
    const res = await post(SERVICES['order-sign'], hookRequest('order-sign'));
    const cards = res.json().cards as Array<{
      summary: string;
      suggestions?: Array<{ actions?: Array<{ type: string; resourceId?: string }> }>;
    }>;
    const allergy = cards.find((c) => /allerg|penicillin/i.test(c.summary));
    assert.ok(allergy, `no allergy card in ${cards.map((c) => c.summary).join(' | ')}`);
    const actions = allergy.suggestions?.flatMap((s) => s.actions ?? []) ?? [];
    assert.ok(
      actions.some((a) => a.type === 'delete' && a.resourceId === 'MedicationRequest/draft-amoxicillin-1'),
    );
  });

  it('encounter-start returns a triage card at least as acute as the vital signs require', async () => {
    const res = await post(SERVICES['encounter-start'], hookRequest('encounter-start'));
    const triage = res.json().cards.find((c: { summary: string }) => /acuity ESI/.test(c.summary));
    assert.ok(triage);
    assert.match(triage.summary, /ESI [12]\b/);
    assert.ok(triage.links.some((l: { type: string }) => l.type === 'smart'));
  });

  const malformed: Array<[string, unknown, RegExp]> = [
    ['bad JSON', '{"hook": "patient-view",', /not valid JSON/],
    ['a non-object body', '[1,2,3]', /\(body\)/],
    ['a missing hook', { ...hookRequest('patient-view'), hook: undefined }, /hook/],
    ['a missing hookInstance', { ...hookRequest('patient-view'), hookInstance: undefined }, /hookInstance/],
    [
      'a missing patientId',
      { ...hookRequest('patient-view'), context: { userId: 'Practitioner/1' } },
      /context\.patientId/,
    ],
    ['the wrong hook', { ...hookRequest('order-sign') }, /hook: must be .*patient-view/],
    [
      'a prefetch value that is not a resource',
      { ...hookRequest('patient-view'), prefetch: { patient: 'Patient/1' } },
      /prefetch\.patient/,
    ],
    [
      'a userId that is not a reference',
      { ...hookRequest('patient-view'), context: { userId: 'dr smith', patientId: 'x' } },
      /context\.userId/,
    ],
    [
      'fhirAuthorization without fhirServer',
      {
        ...hookRequest('patient-view'),
        fhirAuthorization: {
          access_token: 'secret',
          token_type: 'Bearer',
          expires_in: 300,
          scope: 'patient/*.read',
          subject: 'citecare',
        },
      },
      /fhirServer/,
    ],
  ];
  for (const [name, payload, field] of malformed) {
    it(`400 with an OperationOutcome naming the field for ${name}`, async () => {
      const res = await post(SERVICES['patient-view'], payload);
      assert.equal(res.statusCode, 400, res.body);
      const oo = res.json();
      assert.equal(oo.resourceType, 'OperationOutcome');
      assert.match(JSON.stringify(oo.issue), field);
    });
  }

  it('order-select without selections is refused naming context.selections', async () => {
    const req = hookRequest('order-select') as { context: Record<string, unknown> };
    delete req.context.selections;
    const res = await post(SERVICES['order-select'], req);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /context\.selections/);
  });

  it('tolerates unknown extra fields (CDS Hooks 3.0 additions)', async () => {
    const res = await post(SERVICES['patient-view'], {
      ...hookRequest('patient-view'),
      version: '3.0.0',
      extension: { 'org.example': 1 },
    });
    assert.equal(res.statusCode, 200);
  });

  it('refuses a multi-megabyte body with 413 and an OperationOutcome', async () => {
    const big = { ...hookRequest('patient-view'), padding: 'x'.repeat(6 * 1024 * 1024) };
    const res = await post(SERVICES['patient-view'], big);
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().resourceType, 'OperationOutcome');
  });

  it('404 with an OperationOutcome for an unknown service', async () => {
    const res = await post('no-such-service', hookRequest('patient-view'));
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().resourceType, 'OperationOutcome');
  });

  it('accepts application/fhir+json bodies', async () => {
    const res = await post(SERVICES['patient-view'], hookRequest('patient-view'), {
      'content-type': 'application/fhir+json',
    });
    assert.equal(res.statusCode, 200);
  });

  it('refuses a prefetched Patient that is not the patient in context', async () => {
    const req = hookRequest('patient-view') as { prefetch: Record<string, unknown> };
    req.prefetch.patient = { resourceType: 'Patient', id: 'someone-else' };
    const res = await post(SERVICES['patient-view'], req);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /prefetch\.patient/);
  });
});
