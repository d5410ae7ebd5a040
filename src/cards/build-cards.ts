// The one module that turns a decision into CDS Hooks cards. Card actions come only from the
// fixed action catalogue (src/clinical/actions.ts); model text is shown as cited, escaped prose
// and never becomes an action.
import { randomUUID } from 'node:crypto';
import { catalogueAction } from '../clinical/actions.ts';
import {
  type Assessment,
  bySeverity,
  type Citation,
  type Finding,
  type ResourceRef,
  type Severity,
  type TriageResult,
} from '../clinical/types.ts';
import type { AdviceResult, VerifiedStatement } from '../llm/types.ts';
import { type Card, type CardLink, prune, type Suggestion } from './card-schema.ts';
import { citationMarkdown, escapeMarkdown, summaryText } from './markdown.ts';

export const OVERRIDE_REASON_SYSTEM = 'urn:citecare:override-reason';
export const FINDING_SYSTEM = 'urn:citecare:finding';
export const FINDING_EXTENSION = 'org.citecare.finding';

export const OVERRIDE_REASONS = [
  { code: 'not-relevant', display: 'Not clinically relevant for this patient' },
  { code: 'already-addressed', display: 'Already addressed' },
  { code: 'data-incorrect', display: 'The underlying data is wrong or out of date' },
  { code: 'benefit-outweighs-risk', display: 'Benefit outweighs the risk' },
  { code: 'patient-preference', display: 'Patient declined or prefers otherwise' },
] as const;

export interface CardInput {
  serviceId: string;
  publicBaseUrl: string;
  patientId: string;
  encounterId?: string;
  assessment: Assessment;
  /** The final triage (the floor combined with the model's level, if any). */
  triage: TriageResult;
  advice: AdviceResult;
  /** Citations supporting the triage card (e.g. the ESI passage). */
  triageCitations: Citation[];
  missing: string[];
  show: { findings: boolean; triage: boolean; summary: boolean };
  /** Findings shown on a grouped chart-review card instead of their own (still counted in the summary). */
  grouped?: ReadonlySet<Finding>;
}

/** How the model took part, for every card's source label. */
export function modelLabel(advice: AdviceResult): string {
  switch (advice.status) {
    case 'ok':
      return `model ${advice.model?.name ?? 'unknown'}, prompt ${advice.prompt?.id ?? '?'}@${advice.prompt?.version ?? '?'}`;
    case 'disabled':
      return 'no model used (deterministic mode)';
    case 'timeout':
      return `no model used: ${advice.model?.name ?? 'model'} still working, rules only`;
    default:
      return `no model used: ${advice.model?.name ?? 'model'} unavailable, rules only`;
  }
}

function humanise(id: string): string {
  const words = id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function indicatorForLevel(level: number): Severity {
  return level === 1 ? 'critical' : level === 2 ? 'warning' : 'info';
}

/** A `Type/id` reference as inline code; anything outside the FHIR id alphabet is escaped text. */
function refMarkdown(ref: ResourceRef): string {
  return /^[A-Za-z]{1,64}\/[A-Za-z0-9\-.]{1,64}$/.test(ref) ? `\`${ref}\`` : escapeMarkdown(ref);
}

function evidenceLine(refs: ResourceRef[]): string {
  return refs.length ? `*Based on:* ${refs.map(refMarkdown).join(', ')}` : '';
}

function statementLine(s: VerifiedStatement): string {
  const refs = s.evidence.length ? ` (${s.evidence.map(refMarkdown).join(', ')})` : '';
  const cites = s.citations.map((c) => `\n\n${citationMarkdown(c)}`).join('');
  return `- ${escapeMarkdown(s.text)}${refs}${cites}`;
}

function footer(input: CardInput): string {
  const lines = [`*CiteCare: ${modelLabel(input.advice)}.*`];
  if (input.advice.dropped.length > 0) {
    lines.push(
      `*${input.advice.dropped.length} model statement(s) withheld: not supported by the record or a guideline.*`,
    );
  }
  if (input.missing.length > 0) {
    lines.push(`*Data not available: ${input.missing.map(escapeMarkdown).join('; ')}.*`);
  }
  return lines.join('\n\n');
}

function links(input: CardInput, withSmart: boolean): CardLink[] {
  const out: CardLink[] = [];
  if (withSmart) {
    out.push({ label: 'Open CiteCare triage', url: `${input.publicBaseUrl}/smart/launch`, type: 'smart' });
  }
  out.push({
    label: 'How CiteCare made this recommendation',
    url: `${input.publicBaseUrl}/about/${input.serviceId}`,
    type: 'absolute',
  });
  return out;
}

function source(input: CardInput, citation: Citation | undefined, topic?: { code: string; display: string }) {
  const basis = citation ? `${citation.issuer} ${citation.year}` : 'clinical rules';
  return {
    label: `CiteCare · ${basis} · ${modelLabel(input.advice)}`,
    url: citation?.url ?? `${input.publicBaseUrl}/about/${input.serviceId}`,
    ...(topic ? { topic: { system: FINDING_SYSTEM, code: topic.code, display: topic.display } } : {}),
  };
}

function suggestionsFor(finding: Finding, input: CardInput): Suggestion[] {
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

function card(c: Omit<Card, 'uuid' | 'overrideReasons'>): Card {
  return prune({
    uuid: randomUUID(),
    ...c,
    summary: summaryText(c.summary),
    overrideReasons: OVERRIDE_REASONS.map((r) => ({ system: OVERRIDE_REASON_SYSTEM, ...r })),
  });
}

function findingCard(f: Finding, input: CardInput): Card {
  const suggestions = suggestionsFor(f, input);
  const detail = [
    // Rule text quotes FHIR display strings (drug and allergy names): treat it as plain text.
    f.detail ? escapeMarkdown(f.detail) : '',
    evidenceLine(f.evidence),
    ...(f.citations.length
      ? f.citations.map(citationMarkdown)
      : ["*No guideline passage in CiteCare's corpus covers this rule yet: it rests on the record alone.*"]),
    footer(input),
  ]
    .filter(Boolean)
    .join('\n\n');
  return card({
    summary: f.summary,
    indicator: f.severity,
    detail,
    source: source(input, f.citations[0], { code: f.id, display: humanise(f.id) }),
    ...(suggestions.length ? { suggestions, selectionBehavior: 'at-most-one' as const } : {}),
    links: links(input, false),
    extension: { [FINDING_EXTENSION]: f.id },
  });
}

function triageCard(input: CardInput): Card {
  const t = input.triage;
  const parts: string[] = [];
  parts.push(
    `**Suggested acuity: ESI ${t.level}.** Deterministic floor: ${t.floorLevel === null ? 'none applies' : `ESI ${t.floorLevel}`}.`,
  );
  // Each rule's reason is followed by its source line (the passage it cites is listed below).
  const sourceOf = new Map([...(t.rules ?? []), ...(t.advisories ?? [])].map((r) => [r.reason, r.source]));
  if (t.reasons.length)
    parts.push(
      t.reasons
        .map((r) => {
          const src = sourceOf.get(r);
          return `- ${escapeMarkdown(r)}${src ? ` *(${escapeMarkdown(src)})*` : ''}`;
        })
        .join('\n'),
    );
  parts.push(evidenceLine(t.evidence));
  const advice = input.advice.triage;
  if (input.advice.status === 'ok' && advice) {
    // When the floor overrode the model, its rationale argued for a level that was not kept.
    if (advice.rationale.length && t.basis !== 'floor-override')
      parts.push(`**Model rationale (verified)**\n\n${advice.rationale.map(statementLine).join('\n')}`);
    if (advice.redFlags.length)
      parts.push(`**Red flags (verified)**\n\n${advice.redFlags.map(statementLine).join('\n')}`);
    if (advice.expectedResources.length) {
      parts.push(
        `*Expected resources (model estimate, not an order):* ${advice.expectedResources.map(escapeMarkdown).join(', ')}`,
      );
    }
  }
  parts.push(...input.triageCitations.map(citationMarkdown));
  parts.push(footer(input));
  const head = `Suggested triage acuity ESI ${t.level}`;
  const withReason =
    t.basis === 'default' ? `${head} (no safety rule applies)` : `${head}: ${t.reasons[0] ?? ''}`;
  return card({
    summary: withReason.length < 140 ? withReason : `${head} (${t.reasons.length} reasons)`,
    indicator: indicatorForLevel(t.level),
    detail: parts.filter(Boolean).join('\n\n'),
    source: source(input, input.triageCitations[0], {
      code: 'triage-acuity',
      display: 'Suggested triage acuity',
    }),
    links: links(input, true),
    extension: { [FINDING_EXTENSION]: 'triage-acuity' },
  });
}

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

function summaryCard(input: CardInput): Card | null {
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
  return card({
    summary: scores.text && !partial ? `${head}; ${scores.text}` : head,
    // "Nothing found" must not look reassuring when part of the record could not be read.
    indicator: partial ? 'warning' : 'info',
    detail: parts.join('\n\n'),
    source: source(input, undefined, { code: 'patient-summary', display: 'Patient summary' }),
    links: links(input, false),
    extension: { [FINDING_EXTENSION]: 'patient-summary' },
  });
}

function pendingCard(input: CardInput): Card {
  return card({
    summary: 'CiteCare is still preparing the cited model rationale; open the triage app to see it',
    indicator: 'info',
    detail: `The rules-based result is shown now. The model's cited rationale will be ready when this patient is viewed again, or in the CiteCare triage app.\n\n${footer(input)}`,
    source: source(input, undefined, { code: 'model-pending', display: 'Model rationale pending' }),
    links: links(input, true),
    extension: { [FINDING_EXTENSION]: 'model-pending' },
  });
}

/** One card per distinct finding: two records of one allergy give one card with both as evidence. */
function dedupe(findings: Finding[]): Finding[] {
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
  if (cards.length === 0 && input.missing.length > 0) {
    cards.push(
      card({
        summary: 'Some patient data could not be retrieved, so CiteCare checked less than usual',
        indicator: 'info',
        detail: footer(input),
        source: source(input, undefined),
        links: links(input, false),
        extension: { [FINDING_EXTENSION]: 'data-missing' },
      }),
    );
  }
  return cards;
}
