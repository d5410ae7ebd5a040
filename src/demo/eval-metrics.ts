// The evaluation's arithmetic, kept free of I/O so every figure in the report can be unit-tested.
// Levels follow ESI: 1 is most acute, 5 least. "Under-triage" means the software chose a less acute
// level (a larger number) than the reference; that is the dangerous direction.

export type AcuityLevel = 1 | 2 | 3 | 4 | 5;
export const LEVELS: readonly AcuityLevel[] = [1, 2, 3, 4, 5];

export interface TriageCase {
  id: string;
  reference: AcuityLevel;
  /** null when the pipeline failed for this case: counted as a miss and as under-triage. */
  predicted: AcuityLevel | null;
}

export interface Rate {
  count: number;
  of: number;
  /** count / of, or null when `of` is 0. */
  rate: number | null;
}

export interface TriageMetrics {
  n: number;
  failed: number;
  exact: Rate;
  withinOne: Rate;
  underTriage: Rate;
  overTriage: Rate;
  /** Of the cases whose reference is level 1 or 2, how many the software also put at 1 or 2. */
  highAcuitySensitivity: Rate;
  /** confusion[r-1][p-1]: reference level r predicted as p (failed cases are left out). */
  confusion: number[][];
  underTriagedCases: string[];
}

export const rate = (count: number, of: number): Rate => ({ count, of, rate: of === 0 ? null : count / of });

export function triageMetrics(cases: readonly TriageCase[]): TriageMetrics {
  const confusion = LEVELS.map(() => LEVELS.map(() => 0));
  let exact = 0;
  let withinOne = 0;
  let under = 0;
  let over = 0;
  let failed = 0;
  let highRef = 0;
  let highHit = 0;
  const underTriagedCases: string[] = [];
  for (const c of cases) {
    const high = c.reference <= 2;
    if (high) highRef++;
    if (c.predicted === null) {
      failed++;
      under++;
      underTriagedCases.push(c.id);
      continue;
    }
    confusion[c.reference - 1]![c.predicted - 1]!++;
    if (c.predicted === c.reference) exact++;
    if (Math.abs(c.predicted - c.reference) <= 1) withinOne++;
    if (c.predicted > c.reference) {
      under++;
      underTriagedCases.push(c.id);
    }
    if (c.predicted < c.reference) over++;
    if (high && c.predicted <= 2) highHit++;
  }
  const n = cases.length;
  return {
    n,
    failed,
    exact: rate(exact, n),
    withinOne: rate(withinOne, n),
    underTriage: rate(under, n),
    overTriage: rate(over, n),
    highAcuitySensitivity: rate(highHit, highRef),
    confusion,
    underTriagedCases,
  };
}

export interface ScoreCase {
  id: string;
  expected: number | null;
  actual: number | null;
}

export interface ScoreAgreement extends Rate {
  /** Cases where the reference has a value and the pipeline gave none, or the values differ. */
  disagreements: Array<{ id: string; expected: number | null; actual: number | null }>;
}

/** Agreement counts a case when both give the same number, or both say "not computable" (null). */
export function scoreAgreement(cases: readonly ScoreCase[]): ScoreAgreement {
  const disagreements = cases
    .filter((c) => c.expected !== c.actual)
    .map(({ id, expected, actual }) => ({ id, expected, actual }));
  return { ...rate(cases.length - disagreements.length, cases.length), disagreements };
}

export interface CitationToCheck {
  caseId: string;
  chunkId: string;
  quote: string;
}

export interface CitationValidity extends Rate {
  invalid: Array<CitationToCheck & { problem: 'unknown-chunk' | 'quote-not-in-passage' | 'empty-quote' }>;
}

/** A citation is valid when its chunk exists in the index and its quote is an exact substring of it. */
export function citationValidity(
  citations: readonly CitationToCheck[],
  passageText: (chunkId: string) => string | undefined,
): CitationValidity {
  const invalid: CitationValidity['invalid'] = [];
  for (const c of citations) {
    const text = passageText(c.chunkId);
    if (text === undefined) invalid.push({ ...c, problem: 'unknown-chunk' });
    else if (!c.quote.trim()) invalid.push({ ...c, problem: 'empty-quote' });
    else if (!text.includes(c.quote)) invalid.push({ ...c, problem: 'quote-not-in-passage' });
  }
  return { ...rate(citations.length - invalid.length, citations.length), invalid };
}

export const formatRate = (r: Rate): string =>
  r.rate === null ? `n/a (0 cases)` : `${(r.rate * 100).toFixed(1)} % (${r.count}/${r.of})`;
