// The evaluation's arithmetic, kept free of I/O so every figure in the report can be unit-tested.
// Levels follow ESI: 1 is most acute, 5 least. "Under-triage" means the software chose a less acute
// level (a larger number) than the reference; that is the dangerous direction.

export type AcuityLevel = 1 | 2 | 3 | 4 | 5;
const LEVELS: readonly AcuityLevel[] = [1, 2, 3, 4, 5];

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
  overTriagedCases: string[];
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
  const overTriagedCases: string[] = [];
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
    if (c.predicted < c.reference) {
      over++;
      overTriagedCases.push(c.id);
    }
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
    overTriagedCases,
  };
}

export interface ControlCase extends TriageCase {
  control: boolean;
}

export interface ControlMetrics {
  /** How many low-risk controls the set has. */
  n: number;
  /** Controls shown as level 1 or 2 (their reference is 3–5): the over-triage that matters for controls. */
  reachedHigh: Rate;
  reachedHighCases: string[];
}

/** Over-triage on the low-risk controls: predicted level ≤ 2 where the reference is ≥ 3. */
export function controlMetrics(cases: readonly ControlCase[]): ControlMetrics {
  const controls = cases.filter((c) => c.control);
  for (const c of controls) {
    if (c.reference < 3) throw new Error(`control ${c.id} has reference level ${c.reference}, not 3–5`);
  }
  const reachedHighCases = controls.filter((c) => c.predicted !== null && c.predicted <= 2).map((c) => c.id);
  return {
    n: controls.length,
    reachedHigh: rate(reachedHighCases.length, controls.length),
    reachedHighCases,
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

export interface ExpectedWarning {
  id: string;
  /** The codes a correct reader must name as not understood. */
  expected: readonly string[];
  /** What the pipeline showed (warnings, card text): each expected code must appear in it. */
  shown: string;
}

export interface WarningCoverage extends Rate {
  missing: Array<{ id: string; code: string }>;
}

/** Of the vital-sign codes the reader cannot know, how many it named rather than silently dropped. */
export function warningCoverage(cases: readonly ExpectedWarning[]): WarningCoverage {
  let of = 0;
  const missing: WarningCoverage['missing'] = [];
  for (const c of cases) {
    for (const code of c.expected) {
      of++;
      if (!c.shown.includes(code)) missing.push({ id: c.id, code });
    }
  }
  return { ...rate(of - missing.length, of), missing };
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

/** The evaluation's "done when" targets (issue 11), checked for every set and mode. */
export const TARGETS = {
  /** No case less urgent than its reference. */
  maxUnderTriage: 0,
  /** At most this share of the low-risk controls shown as level 1 or 2. */
  maxControlOverTriage: 0.15,
  /** NEWS2 and qSOFA agree with the hand-computed reference on every case. */
  minScoreAgreement: 1,
} as const;

export interface RunFigures {
  label: string;
  triage: Pick<TriageMetrics, 'underTriage' | 'underTriagedCases'>;
  controls: Pick<ControlMetrics, 'reachedHigh'>;
  news2: Rate;
  qsofa: Rate;
}

export interface TargetCheck {
  run: string;
  target: string;
  met: boolean;
  value: string;
}

/** One line per run and target; a rate with no cases (n/a) does not count as met. */
export function checkTargets(runs: readonly RunFigures[]): TargetCheck[] {
  const out: TargetCheck[] = [];
  for (const r of runs) {
    out.push({
      run: r.label,
      target: `under-triage ≤ ${TARGETS.maxUnderTriage}`,
      met: r.triage.underTriage.count <= TARGETS.maxUnderTriage && r.triage.underTriage.of > 0,
      value: formatRate(r.triage.underTriage),
    });
    const c = r.controls.reachedHigh;
    out.push({
      run: r.label,
      target: `controls shown as level 1–2 ≤ ${TARGETS.maxControlOverTriage * 100} %`,
      met: c.rate !== null && c.rate <= TARGETS.maxControlOverTriage,
      value: formatRate(c),
    });
    for (const [name, s] of [
      ['NEWS2', r.news2],
      ['qSOFA', r.qsofa],
    ] as const) {
      out.push({
        run: r.label,
        target: `${name} agreement = 100 %`,
        met: s.rate !== null && s.rate >= TARGETS.minScoreAgreement,
        value: formatRate(s),
      });
    }
  }
  return out;
}
