// The evaluation report in Markdown: whether the targets are met, the headline figures of every run
// (set × mode) side by side, then per run the cases that drove the numbers, so a reviewer can see
// which vignette moved each figure.
import { formatRate, type Rate, TARGETS, type TargetCheck } from './metrics.ts';
import { runLabel } from './report-schema.ts';
import type { EvalRun } from './runner.ts';

const cell = (s: string | number | null | undefined) => String(s ?? '—').replace(/\|/g, '\\|');
const ids = (list: readonly string[]) => (list.length ? list.map((c) => `\`${c}\``).join(', ') : 'none');

/** File name of a run's confusion matrix picture, next to the report. */
export const confusionFile = (s: EvalRun['summary']) => `eval-confusion-${s.set}-${s.mode}.svg`;

export function renderEvalMarkdown(runs: readonly EvalRun[], targets: readonly TargetCheck[]): string {
  const first = runs[0]?.summary;
  if (!first) throw new Error('renderEvalMarkdown: no runs');
  const lines: string[] = [];
  const missed = targets.filter((t) => !t.met);
  lines.push(
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
    '## Headline figures',
    '',
  );
  const header = runs.map((r) => cell(runLabel(r.summary)));
  lines.push(`| metric | ${header.join(' | ')} |`, `|---|${runs.map(() => '---|').join('')}`);
  const row = (name: string, f: (s: EvalRun['summary']) => string) =>
    lines.push(`| ${name} | ${runs.map((r) => cell(f(r.summary))).join(' | ')} |`);
  const pct = (f: (s: EvalRun['summary']) => Rate) => (s: EvalRun['summary']) => formatRate(f(s));
  row('vignettes', (s) => String(s.vignettes));
  row(
    'under-triage (less urgent than reference, or no answer)',
    pct((s) => s.triage.underTriage),
  );
  row(
    'over-triage (more urgent than reference)',
    pct((s) => s.triage.overTriage),
  );
  row(
    'low-risk controls shown as level 1–2',
    pct((s) => s.controls.reachedHigh),
  );
  row(
    'acuity exact match',
    pct((s) => s.triage.exact),
  );
  row(
    'acuity within one level',
    pct((s) => s.triage.withinOne),
  );
  row(
    'high-acuity (levels 1–2) sensitivity',
    pct((s) => s.triage.highAcuitySensitivity),
  );
  row(
    'NEWS2 agreement',
    pct((s) => s.news2),
  );
  row(
    'NEWS2 agreement, code-variant cases',
    pct((s) => s.news2Variants),
  );
  row(
    'qSOFA agreement',
    pct((s) => s.qsofa),
  );
  row(
    'qSOFA agreement, code-variant cases',
    pct((s) => s.qsofaVariants),
  );
  row(
    'unknown vital-sign codes named (not silently dropped)',
    pct((s) => s.unrecognisedCodes),
  );
  row(
    'citation validity (chunk resolvable, quote exact)',
    pct((s) => s.citations),
  );
  row(
    'model statements kept / dropped by the verifier',
    (s) => `${s.statements.kept} / ${s.statements.dropped}`,
  );
  row('model answers by status', (s) =>
    Object.entries(s.adviceStatus ?? {})
      .map(([k, n]) => `${k} ${n}`)
      .join(', '),
  );
  row('identifiers found in model requests', (s) => `${s.phi.findings} (${s.phi.note})`);
  row('pipeline failures', (s) => String(s.triage.failed));
  lines.push('');

  for (const run of runs) {
    const s = run.summary;
    lines.push(
      `## ${runLabel(s)}`,
      '',
      `![Confusion matrix, ${runLabel(s)}](${confusionFile(s)})`,
      '',
      `Under-triaged cases: ${ids(s.triage.underTriagedCases)}.`,
      '',
      `Low-risk controls shown as level 1–2: ${ids(s.controls.reachedHighCases)}.`,
      '',
    );
    if (s.news2.disagreements.length || s.qsofa.disagreements.length) {
      lines.push('| case | score | reference | pipeline |', '|---|---|---|---|');
      for (const d of s.news2.disagreements)
        lines.push(`| ${d.id} | NEWS2 | ${cell(d.expected)} | ${cell(d.actual)} |`);
      for (const d of s.qsofa.disagreements)
        lines.push(`| ${d.id} | qSOFA | ${cell(d.expected)} | ${cell(d.actual)} |`);
      lines.push('');
    }
    if (s.unrecognisedCodes.missing.length) {
      lines.push(
        `Unknown vital-sign codes not named: ${s.unrecognisedCodes.missing.map((m) => `\`${m.id}\` (LOINC ${m.code})`).join(', ')}.`,
        '',
      );
    }
    if (s.citations.invalid.length) {
      lines.push('| case | chunk | citation problem |', '|---|---|---|');
      for (const c of s.citations.invalid)
        lines.push(`| ${c.caseId} | \`${cell(c.chunkId)}\` | ${c.problem} |`);
      lines.push('');
    }
    if (Object.keys(s.statements.reasons).length) {
      lines.push('| why the verifier dropped a statement | count |', '|---|---|');
      for (const [reason, n] of Object.entries(s.statements.reasons))
        lines.push(`| ${cell(reason)} | ${n} |`);
      lines.push('');
    }
    lines.push(
      '<details><summary>Every case</summary>',
      '',
      '| case | chief complaint | reference | pipeline | floor | basis | NEWS2 ref/got | qSOFA ref/got | findings | citations | ms |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const c of run.cases) {
      const mark =
        c.predicted === null
          ? ' ✗'
          : c.predicted > c.reference
            ? ' ▼'
            : c.control && c.predicted <= 2
              ? ' ▲'
              : '';
      lines.push(
        `| ${c.id}${c.control ? ' (control)' : ''} | ${cell(c.chiefComplaint)} | ${c.reference} | ${cell(c.predicted)}${mark} | ${cell(c.floorLevel)} | ${cell(c.basis)} | ` +
          `${cell(c.news2.expected)}/${cell(c.news2.actual)} | ${cell(c.qsofa.expected)}/${cell(c.qsofa.actual)} | ` +
          `${cell(c.findings.join(', ') || null)} | ${c.citations} | ${c.durationMs} |`,
      );
    }
    lines.push(
      '',
      '▼ under-triaged · ▲ low-risk control shown as level 1–2 · ✗ pipeline error',
      '',
      '</details>',
      '',
    );
    const errors = run.cases.filter((c) => c.error);
    if (errors.length) {
      lines.push('Errors:', '');
      for (const c of errors) lines.push(`- \`${c.id}\`: ${c.error}`);
      lines.push('');
    }
  }
  return lines.join('\n');
}
