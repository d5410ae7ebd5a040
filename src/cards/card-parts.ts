// What every CiteCare card shares: the override reasons, the finding extension, the source label that
// says how the model took part, the footer that names missing data, the links, and the card envelope
// (a uuid on every card). Model and FHIR text is escaped here before it reaches Markdown.
import { randomUUID } from 'node:crypto';
import type { Citation, ResourceRef, Severity } from '../clinical/types.ts';
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

/** What every card of one decision needs to say where it came from. */
export interface CardContext {
  serviceId: string;
  publicBaseUrl: string;
  advice: AdviceResult;
  missing: string[];
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

/** A `Type/id` reference as inline code; anything outside the FHIR id alphabet is escaped text. */
function refMarkdown(ref: ResourceRef): string {
  return /^[A-Za-z]{1,64}\/[A-Za-z0-9\-.]{1,64}$/.test(ref) ? `\`${ref}\`` : escapeMarkdown(ref);
}

export function evidenceLine(refs: ResourceRef[]): string {
  return refs.length ? `*Based on:* ${refs.map(refMarkdown).join(', ')}` : '';
}

export function statementLine(s: VerifiedStatement): string {
  const refs = s.evidence.length ? ` (${s.evidence.map(refMarkdown).join(', ')})` : '';
  const cites = s.citations.map((c) => `\n\n${citationMarkdown(c)}`).join('');
  return `- ${escapeMarkdown(s.text)}${refs}${cites}`;
}

/** The data that could not be had, as every card states it; empty when nothing is missing. */
export function missingLine(missing: readonly string[]): string {
  return missing.length > 0 ? `*Data not available: ${missing.map(escapeMarkdown).join('; ')}.*` : '';
}

export function footer(ctx: CardContext): string {
  const lines = [`*CiteCare: ${modelLabel(ctx.advice)}.*`];
  if (ctx.advice.dropped.length > 0) {
    lines.push(
      `*${ctx.advice.dropped.length} model statement(s) withheld: not supported by the record or a guideline.*`,
    );
  }
  const missing = missingLine(ctx.missing);
  if (missing) lines.push(missing);
  return lines.join('\n\n');
}

export function aboutLink(ctx: Pick<CardContext, 'serviceId' | 'publicBaseUrl'>): CardLink {
  return {
    label: 'How CiteCare made this recommendation',
    url: `${ctx.publicBaseUrl}/about/${ctx.serviceId}`,
    type: 'absolute',
  };
}

function links(ctx: CardContext, withSmart: boolean): CardLink[] {
  const out: CardLink[] = [];
  if (withSmart) {
    out.push({ label: 'Open CiteCare triage', url: `${ctx.publicBaseUrl}/smart/launch`, type: 'smart' });
  }
  out.push(aboutLink(ctx));
  return out;
}

export function source(
  ctx: CardContext,
  citation: Citation | undefined,
  topic?: { code: string; display: string },
) {
  const basis = citation ? `${citation.issuer} ${citation.year}` : 'clinical rules';
  return {
    label: `CiteCare · ${basis} · ${modelLabel(ctx.advice)}`,
    url: citation?.url ?? `${ctx.publicBaseUrl}/about/${ctx.serviceId}`,
    ...(topic ? { topic: { system: FINDING_SYSTEM, code: topic.code, display: topic.display } } : {}),
  };
}

/** A card with its uuid, a summary within the length CDS Hooks allows, and the override reasons. */
function card(c: Omit<Card, 'uuid' | 'overrideReasons'>): Card {
  return prune({
    uuid: randomUUID(),
    ...c,
    summary: summaryText(c.summary),
    overrideReasons: OVERRIDE_REASONS.map((r) => ({ system: OVERRIDE_REASON_SYSTEM, ...r })),
  });
}

/** One CiteCare card: what it says, what it cites, which finding it is about. */
export interface CardSpec {
  summary: string;
  indicator: Severity;
  detail: string;
  /** The passage the source label and link point to (absent: "clinical rules", the about page). */
  citation?: Citation;
  /** The finding the card is about, as the source's topic. */
  topic?: { code: string; display: string };
  suggestions?: Suggestion[];
  /** Whether the card links to the SMART triage app. */
  smartLink?: boolean;
  /** The card's kind in the org.citecare.finding extension (the topic code, or e.g. 'data-missing'). */
  kind: string;
}

export function citeCareCard(ctx: CardContext, spec: CardSpec): Card {
  return card({
    summary: spec.summary,
    indicator: spec.indicator,
    detail: spec.detail,
    source: source(ctx, spec.citation, spec.topic),
    ...(spec.suggestions?.length
      ? { suggestions: spec.suggestions, selectionBehavior: 'at-most-one' as const }
      : {}),
    links: links(ctx, spec.smartLink ?? false),
    extension: { [FINDING_EXTENSION]: spec.kind },
  });
}
