// Finding 3: nothing from a resource can become live markup on a card. Ids outside the FHIR id rule
// are dropped at the snapshot edge, everything from a resource is escaped in `detail`, and `summary`
// is plain text of at most 140 characters. The demo FHIR server refuses to store such ids.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { buildSnapshot } from '../../src/clinical/snapshot/build.ts';
import { buildApp } from '../../src/server/app.ts';
import { demoFhir } from '../../src/server/plugins.ts';
import { conditions, fullPrefetch, hookRequest, vitals } from '../fixtures/cds/patient.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

const SERVICE = '/cds-services/citecare-patient-view';
const HOSTILE_ID = 'x`\n\n<img src=x onerror=alert(1)>\n\n[link](javascript:alert(1))';
const HOSTILE_TEXT = 'Pneumonia <img src=x onerror=alert(1)> [click](javascript:alert(1)) \u0007\u001b[31m';

/** Markup that a Markdown renderer would turn into HTML or a link: an unescaped tag or link. */
function liveMarkup(s: string): string | undefined {
  return (
    /(?<!\\)<[a-z/!]/i.exec(s)?.[0] ??
    /(?<!\\)\]\(\s*javascript:/i.exec(s)?.[0] ??
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(s)?.[0]
  );
}

const searchset = (resources: Resource[]): Bundle => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: resources.map((resource) => ({ resource })),
});

describe('security: card markdown from hostile resources', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('drops resources whose id breaks the FHIR id rule at the snapshot edge, and says so', () => {
    const hostile = { ...vitals[0], id: HOSTILE_ID } as Resource;
    const snapshot = buildSnapshot([hostile, { ...vitals[1] } as Resource], {
      at: new Date('2026-11-26T12:00:00Z'),
    });
    assert.deepEqual(
      snapshot.resources.map((r) => r.ref),
      ['Observation/obs-rr-1'],
    );
    assert.ok(
      snapshot.warnings.some((w) => /not a valid FHIR id/.test(w)),
      snapshot.warnings.join('; '),
    );
  });

  it('keeps hostile ids and condition text out of card markup, and summaries plain text', async () => {
    const hostileVitals = vitals.map((v, i) => (i === 1 ? { ...v, id: HOSTILE_ID } : v)) as Resource[];
    const hostileConditions = conditions.map((c) => ({
      ...c,
      code: { coding: [], text: HOSTILE_TEXT },
    })) as Resource[];
    const res = await t.app.inject({
      method: 'POST',
      url: SERVICE,
      headers: { authorization: `Bearer ${await t.token(SERVICE)}` },
      payload: hookRequest('patient-view', {
        ...fullPrefetch(),
        vitals: searchset(hostileVitals),
        conditions: searchset(hostileConditions),
      }),
    });
    assert.equal(res.statusCode, 200, res.body);
    const cards = res.json().cards as Array<{ summary: string; detail?: string }>;
    assert.ok(cards.length > 0);
    for (const card of cards) {
      assert.equal(liveMarkup(card.detail ?? ''), undefined, `detail: ${card.detail}`);
      assert.doesNotMatch(card.summary, /<[a-z/!]|\u0007|\u001b|javascript:/i, `summary: ${card.summary}`);
      assert.ok(card.summary.length <= 140);
    }
    assert.ok(!res.body.includes('onerror=alert(1)>'), 'no raw tag anywhere in the response');
  });
});

describe('security: the demo FHIR server refuses ids outside the FHIR id rule', () => {
  it('answers 400 to a create with such an id, and stores nothing', async () => {
    const t = await buildTestApp();
    const app = await buildApp(t.runtime, { plugins: [demoFhir] });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/fhir/Observation',
        headers: { 'content-type': 'application/fhir+json' },
        payload: { resourceType: 'Observation', id: HOSTILE_ID, status: 'final', code: { text: 'x' } },
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().resourceType, 'OperationOutcome');
      const search = await app.inject({
        method: 'GET',
        url: `/fhir/Observation?_id=${encodeURIComponent(HOSTILE_ID)}`,
      });
      assert.equal(search.statusCode, 200);
      assert.equal(search.json().entry?.length ?? 0, 0);
    } finally {
      await app.close();
      await t.close();
    }
  });
});
