// The evaluation report in Markdown: the headline figures first, then every case, so a reviewer
// can see which vignette drove each number.
import { formatRate } from './eval-metrics.ts';
import type { EvalRun } from './eval-runner.ts';

const cell = (s: string | number | null | undefined) => String(s ?? '—').replace(/\|/g, '\\|');

export function renderEvalMarkdown(run: EvalRun): string {
  const s = run.summary;
  const lines: string[] = [];
  lines.push(
    '# CiteCare evaluation report',
    '',
    `Generated ${s.generatedAt} by \`npm run eval\`. Mode: **${s.mode === 'model' ? `model (${s.model})` : 'deterministic (no model)'}**. ` +
      `Guideline corpus \`${s.corpusVersion.slice(0, 16)}\`. ${s.vignettes} vignettes from \`eval/vignettes/\`.`,
    '',
    'Each vignette is a fictional patient (FHIR Bundle) with a reference acuity level assigned by the developers from the ' +
      'ESI v4 handbook decision points, and NEWS2 / qSOFA computed by hand from its vitals (null under 16 years). ' +
      'Each runs through the whole pipeline as an encounter-start call. These figures describe agreement on this set only; ' +
      'they are not clinical validation.',
    '',
    '## Headline figures',
    '',
    '| metric | value |',
    '|---|---|',
    `| acuity exact match | ${formatRate(s.triage.exact)} |`,
    `| acuity within one level | ${formatRate(s.triage.withinOne)} |`,
    `| under-triage (less urgent than reference, or no answer) | ${formatRate(s.triage.underTriage)} |`,
    `| over-triage (more urgent than reference) | ${formatRate(s.triage.overTriage)} |`,
    `| high-acuity (levels 1–2) sensitivity | ${formatRate(s.triage.highAcuitySensitivity)} |`,
    `| NEWS2 agreement | ${formatRate(s.news2)} |`,
    `| qSOFA agreement | ${formatRate(s.qsofa)} |`,
    `| citation validity (chunk resolvable, quote exact) | ${formatRate(s.citations)} |`,
    `| model statements kept / dropped by the verifier | ${s.statements.kept} / ${s.statements.dropped} |`,
    `| model answers by status | ${Object.entries(s.adviceStatus ?? {})
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')} |`,
    `| identifiers found in model requests | ${s.phi.findings} (${s.phi.note}) |`,
    `| pipeline failures | ${s.triage.failed} |`,
    '',
    '![Confusion matrix](eval-confusion.svg)',
    '',
  );
  if (s.triage.underTriagedCases.length) {
    lines.push(`Under-triaged cases: ${s.triage.underTriagedCases.map((c) => `\`${c}\``).join(', ')}.`, '');
  }
  if (s.news2.disagreements.length || s.qsofa.disagreements.length) {
    lines.push('## Score disagreements', '', '| case | score | reference | pipeline |', '|---|---|---|---|');
    for (const d of s.news2.disagreements)
      lines.push(`| ${d.id} | NEWS2 | ${cell(d.expected)} | ${cell(d.actual)} |`);
    for (const d of s.qsofa.disagreements)
      lines.push(`| ${d.id} | qSOFA | ${cell(d.expected)} | ${cell(d.actual)} |`);
    lines.push('');
  }
  if (s.citations.invalid.length) {
    lines.push('## Invalid citations', '', '| case | chunk | problem |', '|---|---|---|');
    for (const c of s.citations.invalid)
      lines.push(`| ${c.caseId} | \`${cell(c.chunkId)}\` | ${c.problem} |`);
    lines.push('');
  }
  if (Object.keys(s.statements.reasons).length) {
    lines.push('## Why the verifier dropped statements', '', '| reason | count |', '|---|---|');
    for (const [reason, n] of Object.entries(s.statements.reasons)) lines.push(`| ${cell(reason)} | ${n} |`);
    lines.push('');
  }
  lines.push(
    '## Cases',
    '',
    '| case | chief complaint | reference | pipeline | floor | basis | NEWS2 ref/got | qSOFA ref/got | findings | citations | ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const c of run.cases) {
    const mark = c.predicted === null ? ' ✗' : c.predicted > c.reference ? ' ▼' : '';
    lines.push(
      `| ${c.id} | ${cell(c.chiefComplaint)} | ${c.reference} | ${cell(c.predicted)}${mark} | ${cell(c.floorLevel)} | ${cell(c.basis)} | ` +
        `${cell(c.news2.expected)}/${cell(c.news2.actual)} | ${cell(c.qsofa.expected)}/${cell(c.qsofa.actual)} | ` +
        `${cell(c.findings.join(', ') || null)} | ${c.citations} | ${c.durationMs} |`,
    );
  }
  lines.push('', '▼ under-triaged · ✗ pipeline error', '');
  const errors = run.cases.filter((c) => c.error);
  if (errors.length) {
    lines.push('## Errors', '');
    for (const c of errors) lines.push(`- \`${c.id}\`: ${c.error}`);
    lines.push('');
  }
  return lines.join('\n');
}
