import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCards } from '../../src/cards/build-cards.ts';
import { modelLabel } from '../../src/cards/card-parts.ts';
import { cdsResponseSchema } from '../../src/cards/card-schema.ts';
import { escapeMarkdown, summaryText } from '../../src/cards/markdown.ts';
import type { Assessment, Finding, TriageResult } from '../../src/clinical/types.ts';
import type { AdviceResult } from '../../src/llm/types.ts';

const unavailable = { total: null, reason: 'no data' } as const;
const triage: TriageResult = {
  level: 3,
  floorLevel: null,
  reasons: ['No rule applies'],
  evidence: [],
  basis: 'default',
};

function assessment(findings: Finding[] = []): Assessment {
  return {
    at: '2026-11-26T12:00:00Z',
    patient: { ageYears: 70, sex: 'female' },
    scores: {
      news2: {
        total: 3,
        components: { respiratoryRate: 3 },
        band: 'low-medium',
        evidence: ['Observation/rr'],
      },
      qsofa: unavailable,
      sirs: unavailable,
      shockIndex: unavailable,
      cha2ds2vasc: unavailable,
      egfr: unavailable,
    },
    triage,
    findings,
  };
}

const disabled: AdviceResult = {
  kind: 'summary',
  status: 'disabled',
  statements: [],
  dropped: [],
  durationMs: 0,
};

const allergyFinding: Finding = {
  id: 'drug-allergy',
  severity: 'critical',
  summary: 'Amoxicillin ordered for a patient with a high-criticality penicillin allergy',
  evidence: ['AllergyIntolerance/a1', 'MedicationRequest/draft-1'],
  topics: ['penicillin-allergy'],
  suggestions: [
    {
      action: 'remove-draft-order',
      label: 'Remove the amoxicillin order',
      targetRef: 'MedicationRequest/draft-1',
    },
  ],
  citations: [
    {
      chunkId: 'penicillin-allergy#cross-reactivity',
      title: 'Penicillin allergy',
      issuer: 'AAAAI/ACAAI',
      year: 2022,
      url: 'https://example.org/pen',
      section: 'Cross-reactivity',
      quote: 'Cross-reactivity is low.',
    },
  ],
};

const base = {
  serviceId: 'citecare-order-sign',
  publicBaseUrl: 'https://cds.example.org',
  patientId: 'p1',
  triage,
  triageCitations: [],
  missing: [],
  show: { findings: true, triage: false, summary: false },
};

describe('cards', () => {
  it("shows each triage reason with its source line and cites each reason's passage", () => {
    const citation = {
      chunkId: 'news2-escalation#score-7-or-more',
      title: 'NEWS2 clinical response and escalation',
      issuer: 'Royal College of Physicians (London)',
      year: 2017,
      url: 'https://example.org/news2',
      section: 'Score 7 or more',
      quote: 'A score of 7 or more is high risk.',
    };
    const floor: TriageResult = {
      level: 2,
      floorLevel: 2,
      reasons: ['NEWS2 is 9 (high clinical risk)'],
      evidence: ['Observation/rr'],
      basis: 'floor',
      rules: [
        {
          id: 'news2-5-or-more',
          level: 2,
          reason: 'NEWS2 is 9 (high clinical risk)',
          evidence: ['Observation/rr'],
          source: 'RCP NEWS2 2017',
          citation,
        },
      ],
    };
    const [card] = buildCards({
      ...base,
      assessment: { ...assessment(), triage: floor },
      triage: floor,
      triageCitations: [citation],
      advice: disabled,
      show: { findings: false, triage: true, summary: false },
    });
    assert.match(card!.detail ?? '', /^- NEWS2 is 9 .*high clinical risk.* \*\(RCP NEWS2 2017\)\*$/m);
    assert.match(card!.detail ?? '', /> A score of 7 or more is high risk\./);
  });

  it('turns a finding into a spec-exact card whose only action comes from the catalogue', () => {
    const cards = buildCards({ ...base, assessment: assessment([allergyFinding]), advice: disabled });
    cdsResponseSchema.parse({ cards });
    assert.equal(cards.length, 1);
    const [card] = cards;
    assert.equal(card.indicator, 'critical');
    assert.equal(card.selectionBehavior, 'at-most-one');
    assert.deepEqual(card.suggestions?.[0].actions, [
      {
        type: 'delete',
        description: card.suggestions?.[0].actions?.[0].description,
        resourceId: 'MedicationRequest/draft-1',
      },
    ]);
    assert.match(card.detail ?? '', /> Cross-reactivity is low\./);
    assert.equal(card.source.url, 'https://example.org/pen');
    assert.match(card.source.label, /no model used \(deterministic mode\)/);
    assert.ok(card.overrideReasons?.every((r) => r.display));
    assert.ok(card.links?.some((l) => l.url === 'https://cds.example.org/about/citecare-order-sign'));
  });

  it('never turns model text into an action, and escapes it', () => {
    const advice: AdviceResult = {
      kind: 'summary',
      status: 'ok',
      model: { provider: 'openai', name: 'test-model', temperature: 0 },
      prompt: { id: 'patient-summary', version: '1', sha256: 'x' },
      statements: [
        {
          text: 'Delete MedicationRequest/draft-1 now [click](https://evil.example) <img src=x>',
          evidence: ['Observation/rr'],
          citations: [],
        },
      ],
      dropped: [{ text: 'made up', reason: 'unknown evidence token' }],
      parsed: { actions: [{ type: 'delete', resourceId: 'MedicationRequest/draft-1' }] },
      durationMs: 5,
    };
    const cards = buildCards({
      ...base,
      assessment: assessment(),
      advice,
      show: { findings: true, triage: false, summary: true },
    });
    cdsResponseSchema.parse({ cards });
    assert.ok(
      cards.every((c) => !c.suggestions),
      'no suggestion exists without a catalogue finding',
    );
    const detail = cards.map((c) => c.detail).join('\n');
    assert.ok(!detail.includes('[click](https://evil.example)'));
    assert.ok(!/[^\\]<img/.test(detail), 'raw HTML is escaped');
    assert.match(detail, /1 model statement\(s\) withheld/);
    assert.match(cards[0].source.label, /model test-model, prompt patient-summary@1/);
  });

  it('keeps URLs, e-mail addresses and line breaks in untrusted text from becoming links or structure', () => {
    const text = escapeMarkdown(
      'See https://evil.example/x or www.evil.example, mail a@evil.example\r# Heading\u2028---',
    );
    assert.ok(!/[^`]https:\/\/evil/.test(text), text);
    assert.match(text, /`https:\/\/evil\.example\/x`/);
    assert.match(text, /`www\.evil\.example,`/);
    assert.match(text, /`a@evil\.example`/);
    assert.ok(!/[\r\n\u2028]/.test(text));
    assert.match(text, /\\# Heading/);
  });

  it('says plainly when the model did not take part', () => {
    assert.match(modelLabel({ ...disabled, status: 'timeout' }), /no model used/);
    assert.match(modelLabel({ ...disabled, status: 'fallback' }), /no model used/);
    assert.match(modelLabel({ ...disabled, status: 'circuit-open' }), /unavailable/);
  });

  it('adds a link card to the SMART app when the model missed the budget', () => {
    const cards = buildCards({
      ...base,
      assessment: assessment(),
      advice: { ...disabled, status: 'timeout' },
    });
    const pending = cards.find((c) => c.links?.some((l) => l.type === 'smart'));
    assert.ok(pending);
  });

  it('keeps summaries under 140 characters at a word boundary', () => {
    const long = 'word '.repeat(60);
    const s = summaryText(long);
    assert.ok(s.length < 140);
    assert.ok(s.endsWith('…'));
    assert.equal(summaryText('short'), 'short');
  });

  it('shows missing data instead of silence', () => {
    const cards = buildCards({
      ...base,
      assessment: assessment(),
      advice: disabled,
      missing: ['vital signs could not be retrieved'],
    });
    assert.equal(cards.length, 1);
    assert.match(cards[0].detail ?? '', /vital signs could not be retrieved/);
  });
});
