import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hookRequest } from '../fixtures/cds/patient.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

const SERVICE = '/cds-services/citecare-order-sign';

describe('CDS Hooks feedback', () => {
  let t: TestApp;
  let cards: Array<{
    uuid: string;
    suggestions?: Array<{ uuid: string }>;
    overrideReasons?: Array<{ code: string; system: string }>;
  }>;
  before(async () => {
    t = await buildTestApp();
    const res = await t.app.inject({
      method: 'POST',
      url: SERVICE,
      headers: { authorization: `Bearer ${await t.token(SERVICE)}` },
      payload: hookRequest('order-sign'),
    });
    cards = res.json().cards;
    assert.ok(cards.length > 0);
  });
  after(() => t.close());

  async function recordForCard(uuid: string) {
    for (const summary of (await t.audit.list({})).records) {
      const detail = await t.audit.get(summary.id);
      if (detail?.record.cardIds.includes(uuid)) return detail;
    }
    return undefined;
  }

  async function feedback(body: unknown) {
    const url = `${SERVICE}/feedback`;
    return t.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${await t.token(url)}` },
      payload: body as object,
    });
  }

  it('records accepted and overridden feedback, in a batch, linked to the card and its record', async () => {
    const withSuggestion = cards.find((c) => c.suggestions?.length)!;
    const other = cards.find((c) => c !== withSuggestion) ?? withSuggestion;
    const res = await feedback({
      feedback: [
        {
          card: withSuggestion.uuid,
          outcome: 'accepted',
          acceptedSuggestions: [{ id: withSuggestion.suggestions![0].uuid }],
          outcomeTimestamp: '2026-11-26T12:01:00Z',
        },
        {
          card: other.uuid,
          outcome: 'overridden',
          overrideReason: {
            reason: other.overrideReasons![0],
            userComment: 'Tolerated amoxicillin last year',
          },
          outcomeTimestamp: '2026-11-26T12:02:00Z',
        },
      ],
    });
    assert.equal(res.statusCode, 200, res.body);
    const detail = await recordForCard(withSuggestion.uuid);
    assert.ok(detail);
    const outcomes = detail.feedback.map((f) => f.outcome).sort();
    assert.deepEqual(outcomes, ['accepted', 'overridden']);
    const overridden = detail.feedback.find((f) => f.outcome === 'overridden')!;
    assert.equal(overridden.userComment, 'Tolerated amoxicillin last year');
    assert.equal(overridden.overrideReason?.code, other.overrideReasons![0].code);
  });

  it('accepts repeated feedback for one card (the sandbox dismiss shape: reason without display)', async () => {
    const card = cards[0];
    for (let i = 0; i < 2; i++) {
      const res = await feedback({
        feedback: [
          {
            card: card.uuid,
            outcome: 'overridden',
            overrideReason: { reason: { code: 'already-addressed', system: 'urn:citecare:override-reason' } },
            outcomeTimestamp: `2026-11-26T12:1${i}:00Z`,
          },
        ],
      });
      assert.equal(res.statusCode, 200);
    }
    const detail = await recordForCard(card.uuid);
    assert.ok(detail!.feedback.filter((f) => f.cardId === card.uuid).length >= 2);
    assert.equal((await t.audit.verifyChain()).ok, true);
  });

  it('refuses feedback for a card CiteCare never returned, a card of another service, or an unknown suggestion', async () => {
    const unknown = await feedback({
      feedback: [
        { card: crypto.randomUUID(), outcome: 'overridden', outcomeTimestamp: '2026-11-26T12:00:00Z' },
      ],
    });
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /feedback\[0\]\.card/);

    const pvUrl = '/cds-services/citecare-patient-view';
    const pv = await t.app.inject({
      method: 'POST',
      url: pvUrl,
      headers: { authorization: `Bearer ${await t.token(pvUrl)}` },
      payload: hookRequest('patient-view'),
    });
    const pvCard = pv.json().cards[0];
    const wrongService = await feedback({
      feedback: [{ card: pvCard.uuid, outcome: 'overridden', outcomeTimestamp: '2026-11-26T12:00:00Z' }],
    });
    assert.equal(wrongService.statusCode, 400);

    const withSuggestion = cards.find((c) => c.suggestions?.length)!;
    const fake = await feedback({
      feedback: [
        {
          card: withSuggestion.uuid,
          outcome: 'accepted',
          acceptedSuggestions: [{ id: crypto.randomUUID() }],
          outcomeTimestamp: '2026-11-26T12:00:00Z',
        },
      ],
    });
    assert.equal(fake.statusCode, 400);
    assert.match(fake.body, /acceptedSuggestions/);
  });

  it('stores nothing from a batch with one bad item', async () => {
    const before = (await recordForCard(cards[0].uuid))!.feedback.length;
    const res = await feedback({
      feedback: [
        { card: cards[0].uuid, outcome: 'overridden', outcomeTimestamp: '2026-11-26T12:00:00Z' },
        { card: crypto.randomUUID(), outcome: 'overridden', outcomeTimestamp: '2026-11-26T12:00:00Z' },
      ],
    });
    assert.equal(res.statusCode, 404);
    assert.equal((await recordForCard(cards[0].uuid))!.feedback.length, before);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    [
      'accepted without acceptedSuggestions',
      { feedback: [{ card: 'x', outcome: 'accepted', outcomeTimestamp: '2026-11-26T12:00:00Z' }] },
      /acceptedSuggestions/,
    ],
    [
      'an unknown outcome',
      { feedback: [{ card: 'x', outcome: 'ignored', outcomeTimestamp: '2026-11-26T12:00:00Z' }] },
      /outcome/,
    ],
    ['a missing timestamp', { feedback: [{ card: 'x', outcome: 'overridden' }] }, /outcomeTimestamp/],
    [
      'an empty override reason',
      {
        feedback: [
          { card: 'x', outcome: 'overridden', overrideReason: {}, outcomeTimestamp: '2026-11-26T12:00:00Z' },
        ],
      },
      /overrideReason/,
    ],
    ['an empty batch', { feedback: [] }, /feedback/],
  ];
  for (const [name, body, field] of bad) {
    it(`400 naming the field for ${name}`, async () => {
      const res = await feedback(body);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().resourceType, 'OperationOutcome');
      assert.match(res.body, field);
    });
  }
});
