// The evaluation report in Markdown: whether the targets are met, the headline figures of every run
// (set × mode) side by side, then per run the cases that drove the numbers, so a reviewer can see
// which vignette moved each figure.
import { formatRate, type Rate, TARGETS, type TargetCheck } from './metrics.ts';
import { runLabel } from './report-schema.ts';
import type { CaseResult, EvalRun } from './runner.ts';

type Summary = EvalRun['summary'];

const cell = (s: string | number | null | undefined) => String(s ?? '—').replace(/\|/g, '\\|');
const ids = (list: readonly string[]) => (list.length ? list.map((c) => `\`${c}\``).join(', ') : 'none');
const pct = (f: (s: Summary) => Rate) => (s: Summary) => formatRate(f(s));

/** File name of a run's confusion matrix picture, next to the report. */
export const confusionFile = (s: Summary) => `eval-confusion-${s.set}-${s.mode}.svg`;

/** The rows of the headline table: a name and how to read it from one run's summary. */
const HEADLINE_ROWS: ReadonlyArray<readonly [string, (s: Summary) => string]> = [
  ['vignettes', (s) => String(s.vignettes)],
  ['under-triage (less urgent than reference, or no answer)', pct((s) => s.triage.underTriage)],
  ['over-triage (more urgent than reference)', pct((s) => s.triage.overTriage)],
  ['low-risk controls shown as level 1–2', pct((s) => s.controls.reachedHigh)],
  ['acuity exact match', pct((s) => s.triage.exact)],
  ['acuity within one level', pct((s) => s.triage.withinOne)],
  ['high-acuity (levels 1–2) sensitivity', pct((s) => s.triage.highAcuitySensitivity)],
  ['NEWS2 agreement', pct((s) => s.news2)],
  ['NEWS2 agreement, code-variant cases', pct((s) => s.news2Variants)],
  ['qSOFA agreement', pct((s) => s.qsofa)],
  ['qSOFA agreement, code-variant cases', pct((s) => s.qsofaVariants)],
  ['unknown vital-sign codes named (not silently dropped)', pct((s) => s.unrecognisedCodes)],
  ['citation validity (chunk resolvable, quote exact)', pct((s) => s.citations)],
  [
    'model statements kept / dropped by the verifier',
    (s) => `${s.statements.kept} / ${s.statements.dropped}`,
  ],
  [
    'model answers by status',
    (s) =>
      Object.entries(s.adviceStatus ?? {})
        .map(([k, n]) => `${k} ${n}`)
        .join(', '),
  ],
  ['identifiers found in model requests', (s) => `${s.phi.findings} (${s.phi.note})`],
  ['pipeline failures', (s) => String(s.triage.failed)],
];

function introduction(first: Summary, targets: readonly TargetCheck[]): string[] {
  const missed = targets.filter((t) => !t.met);
  return [
    '# CiteCare evaluation report',
    '',
    `Generated ${first.generatedAt} by \`npm run eval\`. Guideline corpus \`${first.corpusVersion.slice(0, 16)}\`.`,
    '',
    'Each vignette is a fictional patient (FHIR Bundle) with a reference acuity level assigned by the developers from the ' +
      'ESI v4 handbook decision points, and NEWS2 / qSOFA computed by hand from its vitals (null under 16 years, or ' +
      'when a parameter is not charted). The **main** set is `eval/vignettes/*.json`; the **holdout** set ' +
      '(`eval/vignettes/holdout/`) was written before the rules it checks and is never edited to make a rule pass. ' +
      'Each set runs through the whole pipeline as an encounter-start call, once with no model (**deterministic**) and ' +
      'once with a **worst-case model**: a scripted in-process model that always suggests level 5 and obeys ' +
      'instructions injected in notes, driven through the real advisor chain and verifier. ' +
      'These figures describe agreement on these sets only; they are not clinical validation.',
    '',
    '## Targets',
    '',
    missed.length === 0
      ? `All ${targets.length} targets are met.`
      : `**${missed.length} of ${targets.length} targets are missed.** Targets: under-triage ${TARGETS.maxUnderTriage}, ` +
        `low-risk controls shown as level 1–2 at most ${TARGETS.maxControlOverTriage * 100} %, NEWS2 and qSOFA agreement 100 %, in every run.`,
    '',
    '| run | target | value | met |',
    '|---|---|---|---|',
    ...targets.map(
      (t) => `| ${cell(t.run)} | ${cell(t.target)} | ${cell(t.value)} | ${t.met ? 'yes' : '**no**'} |`,
    ),
    '',
  ];
}

function headlineTable(runs: readonly EvalRun[]): string[] {
  return [
    '## Headline figures',
    '',
    `| metric | ${runs.map((r) => cell(runLabel(r.summary))).join(' | ')} |`,
    `|---|${runs.map(() => '---|').join('')}`,
    ...HEADLINE_ROWS.map(([name, f]) => `| ${name} | ${runs.map((r) => cell(f(r.summary))).join(' | ')} |`),
    '',
  ];
}

/** A Markdown table followed by a blank line, or nothing when there are no rows. */
function table(head: string, rows: readonly string[]): string[] {
  if (rows.length === 0) return [];
  const columns = head.split(' | ').length;
  return [`| ${head} |`, `|${'---|'.repeat(columns)}`, ...rows, ''];
}

/** What moved a run's figures: under-triaged cases, score disagreements, invalid citations, drops. */
function runFindings(s: Summary): string[] {
  return [
    `## ${runLabel(s)}`,
    '',
    `![Confusion matrix, ${runLabel(s)}](${confusionFile(s)})`,
    '',
    `Under-triaged cases: ${ids(s.triage.underTriagedCases)}.`,
    '',
    `Low-risk controls shown as level 1–2: ${ids(s.controls.reachedHighCases)}.`,
    '',
    ...table('case | score | reference | pipeline', [
      ...s.news2.disagreements.map((d) => `| ${d.id} | NEWS2 | ${cell(d.expected)} | ${cell(d.actual)} |`),
      ...s.qsofa.disagreements.map((d) => `| ${d.id} | qSOFA | ${cell(d.expected)} | ${cell(d.actual)} |`),
    ]),
    ...(s.unrecognisedCodes.missing.length
      ? [
          `Unknown vital-sign codes not named: ${s.unrecognisedCodes.missing.map((m) => `\`${m.id}\` (LOINC ${m.code})`).join(', ')}.`,
          '',
        ]
      : []),
    ...table(
      'case | chunk | citation problem',
      s.citations.invalid.map((c) => `| ${c.caseId} | \`${cell(c.chunkId)}\` | ${c.problem} |`),
    ),
    ...table(
      'why the verifier dropped a statement | count',
      Object.entries(s.statements.reasons).map(([reason, n]) => `| ${cell(reason)} | ${n} |`),
    ),
  ];
}

function caseRow(c: CaseResult): string {
  const mark =
    c.predicted === null
      ? ' ✗'
      : c.predicted > c.reference
        ? ' ▼'
        : c.control && c.predicted <= 2
          ? ' ▲'
          : '';
  return (
    `| ${c.id}${c.control ? ' (control)' : ''} | ${cell(c.chiefComplaint)} | ${c.reference} | ${cell(c.predicted)}${mark} | ${cell(c.floorLevel)} | ${cell(c.basis)} | ` +
    `${cell(c.news2.expected)}/${cell(c.news2.actual)} | ${cell(c.qsofa.expected)}/${cell(c.qsofa.actual)} | ` +
    `${cell(c.findings.join(', ') || null)} | ${c.citations} | ${c.durationMs} |`
  );
}

/** Every case of a run, folded, then the errors. */
function caseTable(cases: readonly CaseResult[]): string[] {
  const errors = cases.filter((c) => c.error);
  return [
    '<details><summary>Every case</summary>',
    '',
    '| case | chief complaint | reference | pipeline | floor | basis | NEWS2 ref/got | qSOFA ref/got | findings | citations | ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...cases.map(caseRow),
    '',
    '▼ under-triaged · ▲ low-risk control shown as level 1–2 · ✗ pipeline error',
    '',
    '</details>',
    '',
    ...(errors.length ? ['Errors:', '', ...errors.map((c) => `- \`${c.id}\`: ${c.error}`), ''] : []),
  ];
}

export function renderEvalMarkdown(runs: readonly EvalRun[], targets: readonly TargetCheck[]): string {
  const first = runs[0]?.summary;
  if (!first) throw new Error('renderEvalMarkdown: no runs');
  return [
    ...introduction(first, targets),
    ...headlineTable(runs),
    ...runs.flatMap((run) => [...runFindings(run.summary), ...caseTable(run.cases)]),
  ].join('\n');
}
