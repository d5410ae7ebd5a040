import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkTargets,
  citationValidity,
  controlMetrics,
  formatRate,
  type RunFigures,
  rate,
  scoreAgreement,
  type TriageCase,
  triageMetrics,
  warningCoverage,
} from '../../src/evaluation/metrics.ts';

// Eight hand-checked cases: see the comments for what each one contributes.
const CASES: TriageCase[] = [
  { id: 'a', reference: 1, predicted: 1 }, // exact, high-acuity hit
  { id: 'b', reference: 2, predicted: 3 }, // under-triage by one, high-acuity miss
  { id: 'c', reference: 2, predicted: 2 }, // exact, high-acuity hit
  { id: 'd', reference: 3, predicted: 2 }, // over-triage by one
  { id: 'e', reference: 4, predicted: 4 }, // exact
  { id: 'f', reference: 5, predicted: 3 }, // over-triage by two
  { id: 'g', reference: 1, predicted: 3 }, // under-triage by two, high-acuity miss
  { id: 'h', reference: 3, predicted: null }, // pipeline failed: a miss and under-triage
];

describe('triage metrics', () => {
  const m = triageMetrics(CASES);

  it('counts exact and within-one agreement over every case', () => {
    assert.deepEqual(m.exact, { count: 3, of: 8, rate: 0.375 });
    assert.deepEqual(m.withinOne, { count: 5, of: 8, rate: 0.625 });
  });

  it('counts under-triage (less acute than the reference, or no answer) and over-triage', () => {
    assert.deepEqual(m.underTriage, { count: 3, of: 8, rate: 0.375 });
    assert.deepEqual(m.underTriagedCases, ['b', 'g', 'h']);
    assert.deepEqual(m.overTriage, { count: 2, of: 8, rate: 0.25 });
    assert.deepEqual(m.overTriagedCases, ['d', 'f']);
    assert.equal(m.failed, 1);
  });

  it('measures high-acuity sensitivity over reference levels 1 and 2 only', () => {
    assert.deepEqual(m.highAcuitySensitivity, { count: 2, of: 4, rate: 0.5 });
  });

  it('fills the confusion matrix by reference row and predicted column', () => {
    assert.deepEqual(m.confusion, [
      [1, 0, 1, 0, 0],
      [0, 1, 1, 0, 0],
      [0, 1, 0, 0, 0],
      [0, 0, 0, 1, 0],
      [0, 0, 1, 0, 0],
    ]);
  });

  it('reports no rate rather than a fake one when there are no cases', () => {
    const empty = triageMetrics([]);
    assert.equal(empty.exact.rate, null);
    assert.equal(formatRate(empty.highAcuitySensitivity), 'n/a (0 cases)');
    assert.equal(formatRate(m.exact), '37.5 % (3/8)');
  });
});

describe('score agreement', () => {
  it('agrees on equal numbers and on both-null, and lists the rest', () => {
    const r = scoreAgreement([
      { id: 'x', expected: 5, actual: 5 },
      { id: 'y', expected: null, actual: null },
      { id: 'z', expected: 3, actual: 4 },
      { id: 'w', expected: null, actual: 2 },
    ]);
    assert.equal(r.count, 2);
    assert.equal(r.rate, 0.5);
    assert.deepEqual(
      r.disagreements.map((d) => d.id),
      ['z', 'w'],
    );
  });
});

describe('citation validity', () => {
  const passages: Record<string, string> = {
    'sepsis#lactate': 'Measure lactate and repeat it when above 2 mmol/L.',
  };
  const lookup = (id: string) => passages[id];

  it('accepts only exact substrings of a passage that exists', () => {
    const r = citationValidity(
      [
        { caseId: '1', chunkId: 'sepsis#lactate', quote: 'repeat it when above 2 mmol/L' },
        { caseId: '1', chunkId: 'sepsis#lactate', quote: 'repeat it when above 4 mmol/L' },
        { caseId: '2', chunkId: 'made-up#chunk', quote: 'anything' },
        { caseId: '3', chunkId: 'sepsis#lactate', quote: '  ' },
      ],
      lookup,
    );
    assert.equal(r.count, 1);
    assert.equal(r.of, 4);
    assert.deepEqual(
      r.invalid.map((i) => i.problem),
      ['quote-not-in-passage', 'unknown-chunk', 'empty-quote'],
    );
  });
});

describe('low-risk controls', () => {
  it('counts only controls shown as level 1 or 2, not other over-triage or failures', () => {
    const m = controlMetrics([
      { id: 'c1', reference: 4, predicted: 2, control: true }, // reached level 2: counted
      { id: 'c2', reference: 5, predicted: 3, control: true }, // over-triaged, but stays at 3
      { id: 'c3', reference: 3, predicted: 1, control: true }, // reached level 1: counted
      { id: 'c4', reference: 5, predicted: null, control: true }, // failed: under-triage elsewhere, not here
      { id: 'x1', reference: 4, predicted: 1, control: false }, // not a control
    ]);
    assert.equal(m.n, 4);
    assert.deepEqual(m.reachedHigh, { count: 2, of: 4, rate: 0.5 });
    assert.deepEqual(m.reachedHighCases, ['c1', 'c3']);
  });

  it('refuses a control whose reference is already level 1 or 2', () => {
    assert.throws(() => controlMetrics([{ id: 'bad', reference: 2, predicted: 2, control: true }]), /bad/);
  });

  it('has no rate when a set has no controls', () => {
    assert.equal(
      controlMetrics([{ id: 'a', reference: 3, predicted: 1, control: false }]).reachedHigh.rate,
      null,
    );
  });
});

describe('unknown vital-sign codes', () => {
  it('counts each expected code once, named only when it appears in what the pipeline showed', () => {
    const r = warningCoverage([
      { id: 'a', expected: ['8478-0'], shown: 'not understood: LOINC 8478-0' },
      { id: 'b', expected: ['8478-0', '9843-4'], shown: 'not understood: LOINC 9843-4' },
      { id: 'c', expected: [], shown: '' },
    ]);
    assert.deepEqual({ count: r.count, of: r.of }, { count: 2, of: 3 });
    assert.deepEqual(r.missing, [{ id: 'b', code: '8478-0' }]);
  });
});

describe('targets', () => {
  const good: RunFigures = {
    label: 'holdout · deterministic',
    triage: { underTriage: rate(0, 60), underTriagedCases: [] },
    controls: { reachedHigh: rate(2, 15) },
    news2: rate(60, 60),
    qsofa: rate(60, 60),
  };
  const met = (r: RunFigures) => checkTargets([r]).map((t) => t.met);

  it('are met by a run with no under-triage, controls ≤ 15 % at level 1–2 and full score agreement', () => {
    assert.deepEqual(met(good), [true, true, true, true]);
  });

  it('fail on a single under-triaged case', () => {
    const r = { ...good, triage: { underTriage: rate(1, 60), underTriagedCases: ['h07'] } };
    assert.deepEqual(met(r), [false, true, true, true]);
  });

  it('fail when more than 15 % of the controls reach level 1–2 (3 of 15 is 20 %)', () => {
    assert.deepEqual(met({ ...good, controls: { reachedHigh: rate(3, 15) } }), [true, false, true, true]);
  });

  it('fail on one NEWS2 or qSOFA disagreement', () => {
    assert.deepEqual(met({ ...good, news2: rate(59, 60), qsofa: rate(59, 60) }), [true, true, false, false]);
  });

  it('do not count an empty set or a set without controls as met', () => {
    const empty = { ...good, triage: { underTriage: rate(0, 0), underTriagedCases: [] } };
    assert.equal(met(empty)[0], false);
    assert.equal(met({ ...good, controls: { reachedHigh: rate(0, 0) } })[1], false);
  });

  it('name the run, the target and the value', () => {
    const [first] = checkTargets([{ ...good, triage: { underTriage: rate(2, 60), underTriagedCases: [] } }]);
    assert.deepEqual(first, {
      run: 'holdout · deterministic',
      target: 'under-triage ≤ 0',
      met: false,
      value: '3.3 % (2/60)',
    });
  });
});
