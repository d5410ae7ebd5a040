import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  citationValidity,
  formatRate,
  scoreAgreement,
  type TriageCase,
  triageMetrics,
} from '../../src/demo/eval-metrics.ts';

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
