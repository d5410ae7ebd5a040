// The patient summary card (patient-view): the verified model summary when there is one, the scores with
// their evidence, and a warning head when part of the record could not be read. Also the card that says
// the model's rationale is still being prepared.
import type { Assessment, ResourceRef } from '../clinical/types.ts';
import { type CardContext, citeCareCard, evidenceLine, footer, statementLine } from './card-parts.ts';
import type { Card } from './card-schema.ts';
import { escapeMarkdown } from './markdown.ts';

function scoreText(a: Assessment): { text: string; evidence: ResourceRef[] } {
  const bits: string[] = [];
  const evidence: ResourceRef[] = [];
  const n = a.scores.news2;
  if (n.total !== null) {
    bits.push(`NEWS2 ${n.total}${n.band ? ` (${n.band})` : ''}`);
    evidence.push(...n.evidence);
  }
  const q = a.scores.qsofa;
  if (q.total !== null) {
    bits.push(`qSOFA ${q.total}`);
    evidence.push(...q.evidence);
  }
  const e = a.scores.egfr;
  if (e.total !== null) {
    bits.push(`eGFR ${Math.round(e.total)} mL/min/1.73m²`);
    evidence.push(...e.evidence);
  }
  return { text: bits.join(' · '), evidence: [...new Set(evidence)] };
}

export function summaryCard(input: CardContext & { assessment: Assessment }): Card | null {
  const scores = scoreText(input.assessment);
  const parts: string[] = [];
  if (input.advice.status === 'ok' && input.advice.statements.length > 0) {
    parts.push(
      `**Summary (model-written, each sentence verified against the record or a guideline)**\n\n${input.advice.statements.map(statementLine).join('\n')}`,
    );
  }
  if (scores.text)
    parts.push(`**Scores:** ${escapeMarkdown(scores.text)}\n\n${evidenceLine(scores.evidence)}`);
  if (parts.length === 0 && input.missing.length === 0) return null;
  parts.push(footer(input));
  const n = input.assessment.findings.length;
  const partial = input.missing.length > 0;
  const head = partial
    ? `CiteCare checked only part of the record (${input.missing.length} source(s) unavailable)`
    : n === 0
      ? 'No risks flagged by CiteCare'
      : `${n} risk${n === 1 ? '' : 's'} flagged by CiteCare`;
  return citeCareCard(input, {
    summary: scores.text && !partial ? `${head}; ${scores.text}` : head,
    // "Nothing found" must not look reassuring when part of the record could not be read.
    indicator: partial ? 'warning' : 'info',
    detail: parts.join('\n\n'),
    topic: { code: 'patient-summary', display: 'Patient summary' },
    kind: 'patient-summary',
  });
}

export function pendingCard(input: CardContext): Card {
  return citeCareCard(input, {
    summary: 'CiteCare is still preparing the cited model rationale; open the triage app to see it',
    indicator: 'info',
    detail: `The rules-based result is shown now. The model's cited rationale will be ready when this patient is viewed again, or in the CiteCare triage app.\n\n${footer(input)}`,
    topic: { code: 'model-pending', display: 'Model rationale pending' },
    smartLink: true,
    kind: 'model-pending',
  });
}
