import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TriageResult } from '../../src/clinical/types.ts';
import {
  combineTriage,
  countDropped,
  type VerifyContext,
  verifySummaryDraft,
  verifyTriageDraft,
} from '../../src/llm/verify.ts';
import { FLOOR_TRIAGE, PASSAGES } from '../helpers/llm-fixtures.ts';

const ctx: VerifyContext = {
  resolveEvidence: (t) => ({ E1: 'Observation/spo2', E2: 'Observation/lactate' })[t],
  passages: new Map(PASSAGES.map((p) => [p.chunkId, p])),
};
const goodQuote = {
  chunkId: 'oxygen-guide#targets',
  quote: 'Give oxygen when saturation falls below 92 percent.',
};

describe('grounding verifier', () => {
  it('keeps supported statements and maps tokens back to resources with full citations', () => {
    const v = verifySummaryDraft(
      { statements: [{ text: 'Saturation is low (E1).', evidence: ['E1'], citations: [goodQuote] }] },
      ctx,
    );
    assert.equal(v.enough, true);
    assert.deepEqual(v.statements[0]!.evidence, ['Observation/spo2']);
    assert.equal(v.statements[0]!.text, 'Saturation is low.');
    assert.equal(v.statements[0]!.citations[0]!.url, 'https://guidelines.example.org/oxygen');
  });

  it('drops invented tokens, unknown chunks, fabricated quotes and unsupported claims, and counts why', () => {
    const v = verifySummaryDraft(
      {
        statements: [
          { text: 'Kept.', evidence: ['E2'], citations: [] },
          { text: 'Invented token.', evidence: ['E1', 'E77'], citations: [] },
          {
            text: 'Invented chunk.',
            evidence: [],
            citations: [{ chunkId: 'made-up#x', quote: 'whatever it says here' }],
          },
          {
            text: 'Paraphrased quote.',
            evidence: ['E1'],
            citations: [
              { chunkId: 'oxygen-guide#targets', quote: 'Give oxygen if saturation is under 92 percent.' },
            ],
          },
          { text: 'No support at all.', evidence: [], citations: [] },
        ],
      },
      ctx,
    );
    assert.deepEqual(
      v.statements.map((s) => s.text),
      ['Kept.'],
    );
    assert.deepEqual(countDropped(v.dropped), {
      'unknown-evidence': 1,
      'unknown-chunk': 1,
      'quote-not-found': 1,
      'no-support': 1,
    });
    assert.match(v.dropped[0]!.reason, /E77/);
    assert.equal(v.enough, false, '1 of 5 is under half');
  });

  it('needs half to survive, and a grounded rationale for a triage level', () => {
    const ok = { text: 'Low saturation.', evidence: ['E1'], citations: [] };
    const bad = { text: 'Made up.', evidence: ['E9'], citations: [] };
    assert.equal(verifySummaryDraft({ statements: [ok, bad] }, ctx).enough, true);
    assert.equal(verifySummaryDraft({ statements: [ok, bad, bad] }, ctx).enough, false);
    assert.equal(verifySummaryDraft({ statements: [] }, ctx).enough, false);
    const onlyFlags = verifyTriageDraft(
      { suggestedLevel: 2, expectedResources: ['labs', 'labs'], redFlags: [ok], rationale: [bad] },
      ctx,
    );
    assert.equal(onlyFlags.enough, false);
    assert.deepEqual(onlyFlags.triage.expectedResources, ['labs']);
  });
});

describe('combineTriage', () => {
  it('lets the floor override a less acute model level and says so', () => {
    const t = combineTriage(FLOOR_TRIAGE, 4);
    assert.equal(t.level, 2);
    assert.equal(t.floorLevel, 2);
    assert.equal(t.basis, 'floor-override');
    assert.match(t.reasons[0]!, /model suggested level 4.*floor.*level 2.*overrides/i);
  });

  it('takes a more acute model level', () => {
    const t = combineTriage(FLOOR_TRIAGE, 1, ['Observation/lactate']);
    assert.equal(t.level, 1);
    assert.equal(t.basis, 'model');
    assert.ok(t.evidence.includes('Observation/lactate'));
  });

  it('uses the model level when no floor applies, and the deterministic result without a model', () => {
    const none: TriageResult = { level: 3, floorLevel: null, reasons: [], evidence: [], basis: 'default' };
    assert.equal(combineTriage(none, 4).level, 4);
    assert.equal(combineTriage(none, 4).basis, 'model');
    assert.equal(combineTriage(FLOOR_TRIAGE, undefined), FLOOR_TRIAGE);
  });
});
