import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCurrentVitalSigns } from '../../src/clinical/scores/inputs.ts';
import { combineTriage } from '../../src/clinical/triage/combine-with-model.ts';
import type { TriageResult } from '../../src/clinical/types.ts';
import type { Passage } from '../../src/guidelines/types.ts';
import type { TriageAdvice } from '../../src/llm/types.ts';
import {
  countDropped,
  type VerifyContext,
  verifyStatement,
  verifySummaryDraft,
  verifyTriageDraft,
} from '../../src/llm/verify.ts';
import { combineWithAdvice } from '../../src/pipeline/final-triage.ts';
import { FLOOR_TRIAGE, PASSAGES, snapshotFixture } from '../helpers/llm-fixtures.ts';

const FACTS: Record<string, string[]> = {
  E1: ['- E1 SpO2 89 %, 10 min ago'],
  E2: ['- E2 lactate 4.1 mmol/L, 45 min ago'],
};
const ctx: VerifyContext = {
  resolveEvidence: (t) =>
    ({ E1: 'Observation/spo2', E2: 'Observation/lactate', E3: 'Patient/p1', E4: 'Encounter/e1' })[t],
  factLines: (t) => FACTS[t] ?? [],
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

describe('grounding verifier: what counts as support', () => {
  const codeOf = (d: Parameters<typeof verifyStatement>[0]) => {
    const r = verifyStatement(d, ctx);
    return r.ok ? 'kept' : r.dropped.code;
  };

  it('does not accept the patient or encounter token (or a rule-only token) as evidence', () => {
    assert.equal(
      codeOf({ text: 'The patient is stable and can wait.', evidence: ['E3'], citations: [] }),
      'no-fact-evidence',
    );
    assert.equal(
      codeOf({ text: 'This visit is routine.', evidence: ['E4', 'E3'], citations: [] }),
      'no-fact-evidence',
    );
    const kept = verifyStatement({ text: 'Saturation is low.', evidence: ['E3', 'E1'], citations: [] }, ctx);
    assert.ok(kept.ok);
    assert.deepEqual(
      kept.statement.evidence,
      ['Observation/spo2'],
      'the patient token is not listed as evidence',
    );
  });

  it('requires every number in the text to appear in the cited facts or quotes', () => {
    assert.equal(codeOf({ text: 'Lactate is 4.1 mmol/L.', evidence: ['E2'], citations: [] }), 'kept');
    assert.equal(
      codeOf({ text: 'Lactate is 9.8 mmol/L: give 10 mg morphine IV now.', evidence: ['E2'], citations: [] }),
      'unsupported-number',
    );
    assert.equal(
      codeOf({ text: 'Saturation of 89 % is low.', evidence: ['E2'], citations: [] }),
      'unsupported-number',
    );
    assert.equal(
      codeOf({
        text: 'SpO2 89 % is below the 92 percent threshold.',
        evidence: ['E1'],
        citations: [goodQuote],
      }),
      'kept',
      'a number from the quote counts, and SpO2 is a name, not a number',
    );
    const r = verifyStatement({ text: 'Troponin is 5000 ng/L.', evidence: ['E1'], citations: [] }, ctx);
    assert.ok(!r.ok && /5000/.test(r.dropped.reason));
  });

  it('requires quotes of about six words, or a whole sentence of the passage', () => {
    const short: Passage = {
      ...PASSAGES[0]!,
      chunkId: 'short#1',
      text: 'Act fast. Give fluids within one hour of arrival.',
    };
    const withShort: VerifyContext = { ...ctx, passages: new Map([...ctx.passages, ['short#1', short]]) };
    const check = (quote: string, chunkId = 'sepsis-guide#lactate') => {
      const r = verifyStatement(
        { text: 'Guideline advice.', evidence: [], citations: [{ chunkId, quote }] },
        withShort,
      );
      return r.ok ? 'kept' : r.dropped.code;
    };
    assert.equal(check('in an adult with'), 'quote-too-short');
    assert.equal(check('            '), 'quote-too-short');
    assert.equal(check('in an adult with suspected sepsis'), 'kept');
    assert.equal(check('Act fast.', 'short#1'), 'kept', 'a whole short sentence is checkable');
    assert.equal(check('Give fluids', 'short#1'), 'quote-too-short');
  });
});

describe('combineTriage', () => {
  it('without current vital signs and no floor, keeps level 3 whatever less acute level the model suggests', () => {
    const none: TriageResult = {
      level: 3,
      floorLevel: null,
      reasons: ['default'],
      evidence: [],
      basis: 'default',
    };
    const t = combineTriage(none, 5, [], { vitalsKnown: false });
    assert.equal(t.level, 3);
    assert.equal(t.floorLevel, null);
    assert.match(
      t.reasons[0]!,
      /^The model suggested level 5; without current vital signs CiteCare keeps level 3\./,
    );
    assert.match(t.reasons[0]!, /Not met: no complete set of current vital signs/);
    assert.equal(combineTriage(none, 2, [], { vitalsKnown: false }).level, 2, 'a more acute level is taken');
    // Issue 11: a triage without a low-risk gate result is treated as not low risk (was: level 5 taken).
    assert.equal(combineTriage(none, 5, [], { vitalsKnown: true }).level, 3);
    const open: TriageResult = { ...none, lowRisk: { eligible: true, blockers: [] } };
    assert.equal(combineTriage(open, 5, [], { vitalsKnown: true, reasonVerified: true }).level, 5);
    assert.equal(
      combineTriage(FLOOR_TRIAGE, 4, [], { vitalsKnown: false }).level,
      2,
      'the floor still rules',
    );
  });

  it('counts vital signs as current only when heart rate, respiratory rate, systolic BP and SpO2 all have a reading', () => {
    const s = snapshotFixture();
    assert.equal(hasCurrentVitalSigns(s), true);
    const m = { value: 80, unit: 'kg', at: s.at, source: 'Observation/w' };
    assert.equal(hasCurrentVitalSigns({ ...s, vitals: { weight: { latest: m, history: [] } } }), false);
    const { spo2: _spo2, ...noSpo2 } = s.vitals;
    assert.equal(hasCurrentVitalSigns({ ...s, vitals: noSpo2 }), false);
  });

  it('an answer that does not say how many rationale statements were dropped counts as unverified', () => {
    const open: TriageResult = {
      level: 3,
      floorLevel: null,
      reasons: ['default'],
      evidence: [],
      basis: 'default',
      lowRisk: { eligible: true, blockers: [] },
    };
    const s = snapshotFixture();
    const advice: TriageAdvice = {
      suggestedLevel: 5,
      expectedResources: [],
      redFlags: [],
      rationale: [{ text: 'Stable observations.', evidence: [], citations: [] }],
    };
    // e.g. a cached answer written by an older build: it must not open ESI 4 or 5.
    assert.equal(combineWithAdvice(open, s, advice).level, 3);
    assert.equal(combineWithAdvice(open, s, { ...advice, rationaleDropped: 1 }).level, 3);
    assert.equal(combineWithAdvice(open, s, { ...advice, rationaleDropped: 0 }).level, 5);
  });

  it('keeps level 3 when the low-risk gate is closed or the rationale lost statements, and names why', () => {
    const closed: TriageResult = {
      level: 3,
      floorLevel: null,
      reasons: ['default'],
      evidence: [],
      basis: 'default',
      lowRisk: { eligible: false, blockers: ['pregnancy', 'age 70 (65 or over)'] },
    };
    const t = combineTriage(closed, 5, [], { vitalsKnown: true, reasonVerified: true });
    assert.deepEqual([t.level, t.basis, t.floorLevel], [3, 'floor-override', null]);
    assert.match(
      t.reasons[0]!,
      /suggested level 5; CiteCare keeps level 3.*Not met: pregnancy; age 70 \(65 or over\)\./,
    );
    const open: TriageResult = { ...closed, lowRisk: { eligible: true, blockers: [] } };
    const unverified = combineTriage(open, 4, [], { vitalsKnown: true, reasonVerified: false });
    assert.equal(unverified.level, 3);
    assert.match(unverified.reasons[0]!, /rationale did not pass verification/);
    assert.equal(combineTriage(open, 4, [], { vitalsKnown: true, reasonVerified: true }).level, 4);
    assert.equal(
      combineTriage(closed, 3, [], { vitalsKnown: true }).level,
      3,
      'level 3 itself needs no gate',
    );
  });

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
    const none: TriageResult = {
      level: 3,
      floorLevel: null,
      reasons: [],
      evidence: [],
      basis: 'default',
      lowRisk: { eligible: true, blockers: [] },
    };
    assert.equal(combineTriage(none, 4).level, 4);
    assert.equal(combineTriage(none, 4).basis, 'model');
    assert.equal(combineTriage(FLOOR_TRIAGE, undefined), FLOOR_TRIAGE);
  });
});
