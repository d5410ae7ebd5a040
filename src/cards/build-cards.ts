// The one module that turns a decision into CDS Hooks cards: which cards a service shows (its
// CardPolicy), in which order. Card actions come only from the fixed action catalogue
// (src/clinical/actions.ts); model text is shown as cited, escaped prose and never becomes an action.
import {
  type Assessment,
  bySeverity,
  type Citation,
  type Finding,
  type TriageResult,
} from '../clinical/types.ts';
import { type CardContext, citeCareCard, footer } from './card-parts.ts';
import type { Card } from './card-schema.ts';
import { dedupe, findingCard } from './finding-card.ts';
import { pendingCard, summaryCard } from './summary-card.ts';
import { triageCard } from './triage-card.ts';

/** Which cards a service returns (declared by each CDS service module). */
export interface CardPolicy {
  /** One card per rule finding. */
  findings: boolean;
  /** The suggested triage level. */
  triage: boolean;
  /** The patient summary with scores (and the model's verified summary). */
  summary: boolean;
}

export interface CardInput extends CardContext {
  patientId: string;
  encounterId?: string;
  assessment: Assessment;
  /** The final triage (the floor combined with the model's level, if any). */
  triage: TriageResult;
  /** Citations supporting the triage card (e.g. the ESI passage). */
  triageCitations: Citation[];
  show: CardPolicy;
  /** Findings shown on a grouped chart-review card instead of their own (still counted in the summary). */
  grouped?: ReadonlySet<Finding>;
  /** Retrieval failed for this decision (an uncited finding says so). */
  retrievalFailed?: boolean;
}

function dataMissingCard(input: CardContext): Card {
  return citeCareCard(input, {
    summary: 'Some patient data could not be retrieved, so CiteCare checked less than usual',
    indicator: 'info',
    detail: footer(input),
    kind: 'data-missing',
  });
}

export function buildCards(input: CardInput): Card[] {
  const cards: Card[] = [];
  if (input.show.triage) cards.push(triageCard(input));
  if (input.show.findings) {
    const own = input.assessment.findings.filter((f) => !input.grouped?.has(f));
    const findings = dedupe(own).sort(bySeverity);
    for (const f of findings) cards.push(findingCard(f, input));
  }
  if (input.show.summary) {
    const s = summaryCard(input);
    if (s) cards.push(s);
  }
  if (input.advice.status === 'timeout') cards.push(pendingCard(input));
  if (cards.length === 0 && input.missing.length > 0) cards.push(dataMissingCard(input));
  return cards;
}
