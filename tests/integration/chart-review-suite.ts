// patient-view chart review end to end (cards, feedback memory, audit record), run against each audit store.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { recordToProvenance } from '../../src/audit/fhir-export.ts';
import type { AuditDatabase } from '../../src/audit/types.ts';
import { cardSchema } from '../../src/cards/card-schema.ts';
import { fullPrefetch, hookRequest, PATIENT_ID } from '../fixtures/cds/patient.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

const VIEW = '/cds-services/citecare-patient-view';
const SELECT = '/cds-services/citecare-order-select';
const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const subject = { reference: `Patient/${PATIENT_ID}` };

function med(id: string, display: string, status = 'active'): Resource {
  return {
    resourceType: 'MedicationRequest',
    id,
    status,
    intent: 'order',
    subject,
    authoredOn: '2025-03-02T10:00:00Z',
    medicationCodeableConcept: { coding: [{ system: RX, code: '0', display }], text: display },
  } as Resource;
}

function diabetes(): Resource {
  return {
    resourceType: 'Condition',
    id: 'cond-dm-1',
    subject,
    clinicalStatus: { coding: [{ code: 'active' }] },
    code: {
      coding: [{ system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' }],
    },
    onsetDateTime: '2015-01-01',
  } as Resource;
}

const searchset = (resources: Resource[]): Bundle => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: resources.map((resource) => ({ resource })),
});

type WireCard = {
  uuid: string;
  summary: string;
  indicator: string;
  detail: string;
  overrideReasons?: Array<{ code: string }>;
  suggestions?: Array<{ actions?: Array<{ type: string; resourceId?: string[] }> }>;
  extension?: Record<string, string>;
};

export function chartReviewSuite(
  name: string,
  openAudit: () => Promise<{ audit: AuditDatabase; done(): Promise<void> }>,
) {
  describe(`chart review on patient-view (${name})`, () => {
    let t: TestApp;
    let done: () => Promise<void>;
    before(async () => {
      const a = await openAudit();
      done = a.done;
      t = await buildTestApp({}, { audit: a.audit });
    });
    after(async () => {
      await t.close();
      await done();
    });

    async function post(url: string, body: unknown) {
      return t.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${await t.token(url)}` },
        payload: body as object,
      });
    }

    async function view(meds: Resource[]): Promise<WireCard[]> {
      const prefetch = {
        ...fullPrefetch(),
        medications: searchset(meds),
        conditions: searchset([diabetes()]),
      };
      const res = await post(VIEW, hookRequest('patient-view', prefetch));
      assert.equal(res.statusCode, 200, res.body);
      return res.json().cards;
    }

    const reviewCard = (cards: WireCard[], kind: string) =>
      cards.filter((c) => c.extension?.['org.citecare.finding'] === kind);

    const LIST = () => [
      med('mr-dig', 'Digoxin 0.125 MG Oral Tablet'),
      med('mr-ver', 'Verapamil Hydrochloride 40 MG'),
      med('mr-war', 'Warfarin Sodium 5 MG Oral Tablet'),
      med('mr-nap', 'Naproxen sodium 220 MG Oral Tablet [see](https://evil.example) <b>x</b>'),
    ];

    let medCard: WireCard;
    it('shows one Medication review card and one Care gaps card, cited, ordered by severity, escaped', async () => {
      const cards = await view(LIST());
      for (const c of cards) assert.ok(cardSchema.safeParse(c).success, `card not spec-valid: ${c.summary}`);
      const meds = reviewCard(cards, 'medication-review');
      const gaps = reviewCard(cards, 'care-gap');
      assert.equal(meds.length, 1);
      assert.equal(gaps.length, 1);
      medCard = meds[0]!;
      assert.equal(medCard.indicator, 'warning');
      assert.equal(gaps[0]!.indicator, 'info');
      assert.match(medCard.detail, /Digoxin 0\.125 MG Oral Tablet \\\(since 2025-03-02\\\)/);
      assert.doesNotMatch(medCard.detail, /MedicationRequest\//);
      // Every line carries a quoted passage.
      const lines = medCard.detail.split(/\n\n(?=\d+\. )/);
      assert.ok(lines.length >= 3);
      for (const l of lines.filter((x) => /^\d+\. /.test(x))) assert.match(l, /> .+\n\s*>\n\s*> — \[/);
      // High before moderate: the Beers naproxen line (moderate) comes after both high pairs.
      assert.ok(medCard.detail.indexOf('**High:**') < medCard.detail.indexOf('**Moderate:**'));
      assert.doesNotMatch(medCard.detail, /\[see\]\(https/);
      assert.doesNotMatch(medCard.detail, /<b>/);
      assert.deepEqual(medCard.overrideReasons?.map((r) => r.code).sort(), [
        'already-addressed',
        'benefit-outweighs-risk',
        'not-relevant',
      ]);
      assert.match(gaps[0]!.detail, /statin/);
    });

    it('hides items overridden as already addressed, says so, and keeps both in the audit record', async () => {
      const fb = await post(`${VIEW}/feedback`, {
        feedback: [
          {
            card: medCard.uuid,
            outcome: 'overridden',
            overrideReason: { reason: { code: 'already-addressed', system: 'urn:citecare:override-reason' } },
            outcomeTimestamp: new Date().toISOString(),
          },
        ],
      });
      assert.equal(fb.statusCode, 200, fb.body);
      const cards = await view(LIST());
      const meds = reviewCard(cards, 'medication-review');
      assert.equal(meds.length, 1);
      assert.match(meds[0]!.summary, /nothing new/);
      assert.match(meds[0]!.detail, /items? hidden: \d+ overridden as "already addressed"/);
      assert.equal(reviewCard(cards, 'care-gap').length, 1, 'the other card is untouched');
      const page = await t.audit.list({ patient: PATIENT_ID, limit: 1 });
      const detail = await t.audit.get(page.records[0]!.id);
      const review = detail!.record.chartReview as { hidden: unknown[]; shown: unknown[] };
      assert.ok(review.hidden.length >= 3);
      assert.ok(review.shown.length >= 1);
      assert.match(String(detail!.record.drugTableVersion), /\d/);
      const prov = recordToProvenance(detail!.record);
      assert.ok(
        prov.entity?.some((e) => e.what.identifier?.value === detail!.record.drugTableVersion),
        'the FHIR export names the drug table version',
      );
      assert.equal((await t.audit.verifyChain()).ok, true);
    });

    it('shows a hidden item again when its evidence changes (a new dose)', async () => {
      const list = LIST();
      list[0] = med('mr-dig', 'Digoxin 0.25 MG Oral Tablet');
      const meds = reviewCard(await view(list), 'medication-review');
      assert.match(meds[0]!.detail, /Digoxin 0\.25 MG/);
      assert.doesNotMatch(meds[0]!.detail, /Warfarin Sodium 5 MG Oral Tablet with Naproxen/);
    });

    it('does not hide an item overridden as "benefit outweighs risk"', async () => {
      const gap = reviewCard(await view(LIST()), 'care-gap')[0]!;
      await post(`${VIEW}/feedback`, {
        feedback: [
          {
            card: gap.uuid,
            outcome: 'overridden',
            overrideReason: {
              reason: { code: 'benefit-outweighs-risk', system: 'urn:citecare:override-reason' },
            },
            outcomeTimestamp: new Date().toISOString(),
          },
        ],
      });
      assert.match(reviewCard(await view(LIST()), 'care-gap')[0]!.detail, /statin/);
    });

    it('order-select: potassium chloride drafted on lisinopril + spironolactone with K+ 5.9 alerts with "remove the draft order"', async () => {
      const k = {
        resourceType: 'Observation',
        id: 'obs-k-59',
        status: 'final',
        subject,
        category: [{ coding: [{ code: 'laboratory' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '2823-3' }] },
        effectiveDateTime: '2026-11-26T08:00:00Z',
        valueQuantity: { value: 5.9, unit: 'mmol/L' },
      } as Resource;
      const draft = med('draft-kcl', 'Potassium Chloride 20 MEQ Extended Release Oral Tablet', 'draft');
      const body = hookRequest('order-select', {
        ...fullPrefetch(),
        medications: searchset([
          med('mr-lis', 'Lisinopril 20 MG Oral Tablet'),
          med('mr-spi', 'Spironolactone 25 MG Oral Tablet'),
        ]),
        labs: searchset([k]),
      });
      const context = body.context as Record<string, unknown>;
      context.draftOrders = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: draft }] };
      context.selections = ['MedicationRequest/draft-kcl'];
      const res = await post(SELECT, body);
      assert.equal(res.statusCode, 200, res.body);
      const cards: WireCard[] = res.json().cards;
      const kcl = cards.find((c) => c.extension?.['org.citecare.finding'] === 'medication-review');
      assert.ok(kcl, cards.map((c) => c.summary).join(' | '));
      assert.match(kcl.summary, /Potassium Chloride/);
      assert.match(kcl.detail, /5\.9/);
      assert.deepEqual(kcl.suggestions?.[0]?.actions?.[0]?.type, 'delete');
    });
  });
}
