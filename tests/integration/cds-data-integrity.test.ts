// Data a clinician could be misled by: another patient's resources, failed searches that look
// empty, truncated pages, FHIR text that tries to be Markdown, duplicate records, selections.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import Fastify from 'fastify';
import {
  allergies,
  allResources,
  amoxicillinDraft,
  fullPrefetch,
  hookRequest,
  PATIENT_ID,
} from '../fixtures/cds/patient.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { type FakeFhirServer, startFakeFhirServer } from '../helpers/fake-fhir-server.ts';

type Card = { uuid: string; summary: string; detail?: string; indicator: string; suggestions?: unknown[] };

const searchset = (resources: Resource[]): Bundle => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: resources.map((resource) => ({ resource })),
});

const errorOutcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] };

describe('CDS data integrity', () => {
  let t: TestApp;
  let fhir: FakeFhirServer;
  before(async () => {
    fhir = await startFakeFhirServer({ resources: allResources, pageSize: 1 });
    t = await buildTestApp({ FHIR_TIMEOUT_MS: '1500', FHIR_MAX_PAGES: '2' });
  });
  after(async () => {
    await t.close();
    await fhir.close();
  });
  beforeEach(() => {
    fhir.failures.clear();
    fhir.requests.length = 0;
  });

  async function call(service: string, body: Record<string, unknown>) {
    const url = `/cds-services/${service}`;
    return t.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${await t.token(url)}` },
      payload: body,
    });
  }
  const cardsOf = (res: { json(): unknown }) => (res.json() as { cards: Card[] }).cards;

  it("ignores another patient's resources in a prefetch searchset, and says so", async () => {
    const prefetch = fullPrefetch();
    const foreignPotassium = {
      resourceType: 'Observation',
      id: 'obs-k-other',
      status: 'final',
      category: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' },
          ],
        },
      ],
      code: { coding: [{ system: 'http://loinc.org', code: '2823-3' }] },
      subject: { reference: 'Patient/someone-else' },
      effectiveDateTime: '2026-11-26T11:00:00Z',
      valueQuantity: { value: 7.1, unit: 'mmol/L', code: 'mmol/L' },
    } as Resource;
    prefetch.labs = searchset([foreignPotassium]);
    const res = await call('citecare-patient-view', hookRequest('patient-view', prefetch));
    assert.equal(res.statusCode, 200);
    assert.doesNotMatch(res.body, /hyperkal|7\.1 mmol/i);
    assert.match(res.body, /about another patient were ignored/);
  });

  it('refuses draft orders for another patient and selections that are not draft orders', async () => {
    const other = hookRequest('order-sign') as { context: { draftOrders: Bundle } };
    other.context.draftOrders = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: { ...amoxicillinDraft, subject: { reference: 'Patient/someone-else' } } as Resource },
      ],
    };
    const a = await call('citecare-order-sign', other);
    assert.equal(a.statusCode, 400);
    assert.match(a.body, /another patient/);

    const select = hookRequest('order-select') as { context: { selections: string[] } };
    select.context.selections = ['MedicationRequest/not-a-draft'];
    const b = await call('citecare-order-select', select);
    assert.equal(b.statusCode, 400);
    assert.match(b.body, /context\.selections/);
  });

  it('refuses a fhirAuthorization for another patient', async () => {
    const res = await call('citecare-patient-view', {
      ...hookRequest('patient-view'),
      fhirServer: fhir.url,
      fhirAuthorization: {
        access_token: 'x',
        token_type: 'Bearer',
        expires_in: 60,
        scope: 'patient/*.read',
        subject: 'citecare',
        patient: 'someone-else',
      },
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /fhirAuthorization\.patient/);
  });

  it('checks only the selected orders on order-select', async () => {
    const paracetamol = {
      resourceType: 'MedicationRequest',
      id: 'draft-paracetamol-1',
      status: 'draft',
      intent: 'order',
      medicationCodeableConcept: {
        coding: [
          { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '161', display: 'acetaminophen' },
        ],
      },
      subject: { reference: `Patient/${PATIENT_ID}` },
    } as Resource;
    const body = hookRequest('order-select') as { context: { draftOrders: Bundle; selections: string[] } };
    body.context.draftOrders.entry?.push({ resource: paracetamol });
    body.context.selections = ['MedicationRequest/draft-paracetamol-1'];
    const cards = cardsOf(await call('citecare-order-select', body));
    assert.ok(
      !cards.some((c) => /penicillin|amoxicillin/i.test(c.summary)),
      'the unselected amoxicillin is not the question',
    );
    body.context.selections = ['MedicationRequest/draft-amoxicillin-1'];
    const again = cardsOf(await call('citecare-order-select', body));
    assert.ok(again.some((c) => /penicillin|amoxicillin|allerg/i.test(c.summary)));
  });

  it('treats a searchset carrying an error OperationOutcome as a failed search, not as "no allergies"', async () => {
    const prefetch = fullPrefetch();
    prefetch.allergies = searchset([errorOutcome as Resource]);
    const res = await call('citecare-order-sign', hookRequest('order-sign', prefetch));
    assert.equal(res.statusCode, 412, 'allergies are required for medication safety');
    // With a FHIR server to ask, the service fetches the allergies itself and warns.
    const withServer = await call('citecare-order-sign', {
      ...hookRequest('order-sign', prefetch),
      fhirServer: fhir.url,
    });
    assert.equal(withServer.statusCode, 200);
    assert.ok(fhir.requests.some((r) => r.url.startsWith('/fhir/AllergyIntolerance')));
    assert.ok(cardsOf(withServer).some((c) => c.indicator === 'critical'));
  });

  it('says when paging stopped at the page limit', async () => {
    const { vitals: _v, ...partial } = fullPrefetch();
    const res = await call('citecare-patient-view', {
      ...hookRequest('patient-view', partial),
      fhirServer: fhir.url,
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /only the first pages were read/);
  });

  it('does not look reassuring when the FHIR server answers HTML', async () => {
    const html = Fastify();
    html.get('/*', async (_req, reply) => reply.type('text/html').send('<html><body>Login</body></html>'));
    const address = await html.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { vitals: _v, labs: _l, conditions: _c, ...partial } = fullPrefetch();
      const cards = cardsOf(
        await call('citecare-patient-view', {
          ...hookRequest('patient-view', partial),
          fhirServer: `${address}/fhir`,
        }),
      );
      const summary = cards.find((c) => /CiteCare/.test(c.summary))!;
      assert.match(summary.summary, /checked only part of the record/);
      assert.equal(summary.indicator, 'warning');
      assert.match(summary.detail ?? '', /did not answer with FHIR/);
    } finally {
      await html.close();
    }
  });

  it('escapes FHIR text so a drug or allergy name cannot become a link or HTML in a card', async () => {
    const prefetch = fullPrefetch();
    prefetch.allergies = searchset([
      {
        ...allergies[0],
        code: {
          ...(allergies[0] as { code: object }).code,
          text: 'Penicillin [see](javascript:alert(1)) <img src=x>',
        },
      } as Resource,
    ]);
    const draft = hookRequest('order-sign', prefetch) as { context: { draftOrders: Bundle } };
    (
      draft.context.draftOrders.entry![0].resource as { medicationCodeableConcept: { text: string } }
    ).medicationCodeableConcept.text = 'Amoxicillin [click here](https://evil.example/phish)';
    const res = await call('citecare-order-sign', draft);
    const detail = cardsOf(res)
      .map((c) => c.detail ?? '')
      .join('\n');
    assert.ok(!detail.includes('](javascript:'), 'no javascript link');
    assert.ok(!detail.includes('](https://evil.example'), 'no injected link');
    assert.ok(!/[^\\]<img/.test(detail), 'no raw HTML');
  });

  it('gives one card for two records of the same allergy', async () => {
    const prefetch = fullPrefetch();
    prefetch.allergies = searchset([
      allergies[0],
      { ...allergies[0], id: 'allergy-penicillin-2' } as Resource,
    ]);
    const cards = cardsOf(await call('citecare-order-sign', hookRequest('order-sign', prefetch)));
    const summaries = cards.map((c) => c.summary);
    assert.equal(new Set(summaries).size, summaries.length, `duplicate cards: ${summaries.join(' | ')}`);
  });

  it('records which CDS client asked', async () => {
    await call('citecare-patient-view', hookRequest('patient-view'));
    const [latest] = (await t.audit.list({ limit: 1 })).records;
    const detail = await t.audit.get(latest.id);
    assert.match(detail!.record.client?.iss ?? '', /^https:\/\//);
  });
});

describe('CORS only where CDS clients need it', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('sends CORS headers on a CDS 404, and none on preflights elsewhere', async () => {
    const notFound = await t.app.inject({
      method: 'GET',
      url: '/cds-services/citecare-patient-view/nothing-here',
      headers: { origin: 'https://sandbox.cds-hooks.org' },
    });
    assert.equal(notFound.headers['access-control-allow-origin'], 'https://sandbox.cds-hooks.org');
    const smart = await t.app.inject({
      method: 'OPTIONS',
      url: '/smart/api/decision',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(smart.headers['access-control-allow-origin'], undefined);
  });
});
