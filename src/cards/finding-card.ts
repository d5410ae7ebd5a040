// One card per rule finding: its detail, evidence and cited passage, and suggestions whose actions
// come only from the fixed action catalogue (src/clinical/actions.ts), never from model text.
import { randomUUID } from 'node:crypto';
import { catalogueAction } from '../clinical/actions.ts';
import type { Finding } from '../clinical/types.ts';
import { type CardContext, citeCareCard, evidenceLine, footer } from './card-parts.ts';
import type { Card, Suggestion } from './card-schema.ts';
import { citationMarkdown, escapeMarkdown } from './markdown.ts';

export interface FindingCardContext extends CardContext {
  patientId: string;
  encounterId?: string;
  /** Retrieval failed for this decision: a finding without a passage says why, not "no passage exists". */
  retrievalFailed?: boolean;
}

const NO_PASSAGE =
  "*No guideline passage in CiteCare's corpus covers this rule yet: it rests on the record alone.*";
const RETRIEVAL_FAILED =
  '*No guideline passage: guideline retrieval was unavailable, so this rule rests on the record alone.*';

function humanise(id: string): string {
  const words = id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function suggestionsFor(finding: Finding, input: FindingCardContext): Suggestion[] {
  return finding.suggestions.map((s) => {
    const action = catalogueAction(s.action, {
      patientId: input.patientId,
      encounterId: input.encounterId,
      targetRef: s.targetRef,
    });
    return {
      label: s.label,
      uuid: randomUUID(),
      ...(s.isRecommended !== undefined ? { isRecommended: s.isRecommended } : {}),
      ...(action ? { actions: [action] } : {}),
    };
  });
}

export function findingCard(f: Finding, input: FindingCardContext): Card {
  const detail = [
    // Rule text quotes FHIR display strings (drug and allergy names): treat it as plain text.
    f.detail ? escapeMarkdown(f.detail) : '',
    evidenceLine(f.evidence),
    ...(f.citations.length
      ? f.citations.map(citationMarkdown)
      : [input.retrievalFailed ? RETRIEVAL_FAILED : NO_PASSAGE]),
    footer(input),
  ]
    .filter(Boolean)
    .join('\n\n');
  return citeCareCard(input, {
    summary: f.summary,
    indicator: f.severity,
    detail,
    citation: f.citations[0],
    topic: { code: f.id, display: humanise(f.id) },
    suggestions: suggestionsFor(f, input),
    kind: f.id,
  });
}

/** One card per distinct finding: two records of one allergy give one card with both as evidence. */
export function dedupe(findings: Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.id}\u0000${f.summary}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, f);
      continue;
    }
    const targets = new Set(seen.suggestions.map((x) => `${x.action}|${x.targetRef ?? ''}`));
    byKey.set(key, {
      ...seen,
      evidence: [...new Set([...seen.evidence, ...f.evidence])],
      suggestions: [
        ...seen.suggestions,
        ...f.suggestions.filter((x) => !targets.has(`${x.action}|${x.targetRef ?? ''}`)),
      ],
    });
  }
  return [...byKey.values()];
}
