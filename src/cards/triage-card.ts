// The triage card (encounter-start, SMART app): the suggested ESI level, each rule's reason with its
// source, the verified model rationale and red flags, and the passages that back the level.
import type { Citation, Severity, TriageResult } from '../clinical/types.ts';
import { type CardContext, citeCareCard, evidenceLine, footer, statementLine } from './card-parts.ts';
import type { Card } from './card-schema.ts';
import { citationMarkdown, escapeMarkdown } from './markdown.ts';

export interface TriageCardInput extends CardContext {
  /** The final triage (the floor combined with the model's level, if any). */
  triage: TriageResult;
  /** Citations supporting the triage card (e.g. the ESI passage). */
  triageCitations: Citation[];
}

function indicatorForLevel(level: number): Severity {
  return level === 1 ? 'critical' : level === 2 ? 'warning' : 'info';
}

/** Each rule's reason followed by its source line (the passage it cites is listed below). */
function reasonLines(t: TriageResult): string {
  const sourceOf = new Map([...(t.rules ?? []), ...(t.advisories ?? [])].map((r) => [r.reason, r.source]));
  return t.reasons
    .map((r) => {
      const src = sourceOf.get(r);
      return `- ${escapeMarkdown(r)}${src ? ` *(${escapeMarkdown(src)})*` : ''}`;
    })
    .join('\n');
}

/** The model's verified part, when it answered. */
function modelParts(input: TriageCardInput): string[] {
  const advice = input.advice.triage;
  if (input.advice.status !== 'ok' || !advice) return [];
  const parts: string[] = [];
  // When the floor overrode the model, its rationale argued for a level that was not kept.
  if (advice.rationale.length && input.triage.basis !== 'floor-override')
    parts.push(`**Model rationale (verified)**\n\n${advice.rationale.map(statementLine).join('\n')}`);
  if (advice.redFlags.length)
    parts.push(`**Red flags (verified)**\n\n${advice.redFlags.map(statementLine).join('\n')}`);
  if (advice.expectedResources.length) {
    parts.push(
      `*Expected resources (model estimate, not an order):* ${advice.expectedResources.map(escapeMarkdown).join(', ')}`,
    );
  }
  return parts;
}

export function triageCard(input: TriageCardInput): Card {
  const t = input.triage;
  const parts = [
    `**Suggested acuity: ESI ${t.level}.** Deterministic floor: ${t.floorLevel === null ? 'none applies' : `ESI ${t.floorLevel}`}.`,
    t.reasons.length ? reasonLines(t) : '',
    evidenceLine(t.evidence),
    ...modelParts(input),
    ...input.triageCitations.map(citationMarkdown),
    footer(input),
  ];
  const head = `Suggested triage acuity ESI ${t.level}`;
  const withReason =
    t.basis === 'default' ? `${head} (no safety rule applies)` : `${head}: ${t.reasons[0] ?? ''}`;
  return citeCareCard(input, {
    summary: withReason.length < 140 ? withReason : `${head} (${t.reasons.length} reasons)`,
    indicator: indicatorForLevel(t.level),
    detail: parts.filter(Boolean).join('\n\n'),
    citation: input.triageCitations[0],
    topic: { code: 'triage-acuity', display: 'Suggested triage acuity' },
    smartLink: true,
    kind: 'triage-acuity',
  });
}
