// The grounding verifier: a model statement reaches a clinician only when every patient fact it
// leans on is an evidence token we handed out, every guideline claim cites a passage shown to the
// model with a verbatim quote, and it has at least one of the two. Everything else is dropped
// and counted. Patient, encounter and rule-result tokens are not facts; every number a statement
// states must appear in its cited facts or quotes; quotes must be long enough to mean something.
// combineTriage (src/clinical/triage/combine-with-model.ts) then keeps the final level at or above the deterministic floor, and
// at 3 or above unless the low-risk gate is open.
import type { ResourceRef } from '../clinical/types.ts';
import { citationFor, sentences, verifyQuote } from '../guidelines/citation.ts';
import type { Passage } from '../guidelines/types.ts';
import type { DraftStatement, SummaryDraft, TriageDraft } from './schemas.ts';
import { STATEMENT_LIMITS } from './schemas.ts';
import type { DroppedStatement, TriageAdvice, VerifiedStatement } from './types.ts';

export const DROP_CODES = [
  'no-support',
  'unknown-evidence',
  'no-fact-evidence',
  'unknown-chunk',
  'quote-not-found',
  'quote-too-short',
  'unsupported-number',
  'empty-text',
  'text-too-long',
] as const;
export type DropCode = (typeof DROP_CODES)[number];

/** Below this share of surviving statements the answer is not used (status 'fallback'). */
export const MIN_SURVIVING_SHARE = 0.5;

export interface VerifyContext {
  /** Resolves an evidence token handed to the model; undefined for anything else. */
  resolveEvidence(token: string): ResourceRef | undefined;
  /**
   * The rendered lines stating the fact behind a token. Empty for tokens that are not facts: the
   * Patient, the Encounter, and references only named by the deterministic triage or findings.
   */
  factLines(token: string): readonly string[];
  /** The passages shown to the model, by chunk id. */
  passages: ReadonlyMap<string, Passage>;
}

export interface VerificationOutcome {
  statements: VerifiedStatement[];
  dropped: DroppedStatement[];
  total: number;
  /** True when enough survived to use the answer. */
  enough: boolean;
}

export type StatementCheck =
  | { ok: true; statement: VerifiedStatement }
  | { ok: false; dropped: DroppedStatement & { code: DropCode } };

const TOKEN_IN_TEXT = /\s*[([]\s*E\d+(?:\s*[,;]\s*E\d+)*\s*[)\]]|\bE\d+\b/g;
// A number standing on its own: not the digit of a name such as SpO2, NEWS2 or a token like E7.
const NUMBER = /(?<![\p{L}\d.])\d+(?:\.\d+)?/gu;

function numbersIn(text: string): string[] {
  return [...text.matchAll(NUMBER)].map((m) => String(Number(m[0])));
}

function wordCount(text: string): number {
  return text.trim().split(/\s+/).filter(Boolean).length;
}

/** A short quote is only checkable when it is a whole sentence of the passage. */
function isWholeSentence(passage: Passage, quote: string): boolean {
  const bare = (t: string) =>
    t
      .trim()
      .replace(/[.!?]+$/, '')
      .trim();
  const q = bare(quote);
  return q !== '' && sentences(passage.text).some((s) => bare(s) === q);
}

export function verifyStatement(draft: DraftStatement, ctx: VerifyContext): StatementCheck {
  const text = draft.text
    .replace(TOKEN_IN_TEXT, (m) => (/^\s*[([]/.test(m) || ctx.resolveEvidence(m.trim()) ? '' : m))
    .replace(/\s+([.,;:])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  const drop = (code: DropCode, reason: string): StatementCheck => ({
    ok: false,
    dropped: { text: draft.text, reason, code },
  });
  if (!text) return drop('empty-text', 'statement has no text');
  if (text.length > STATEMENT_LIMITS.maxTextChars) {
    return drop('text-too-long', `statement is longer than ${STATEMENT_LIMITS.maxTextChars} characters`);
  }
  if (draft.evidence.length === 0 && draft.citations.length === 0) {
    return drop('no-support', 'statement has neither patient evidence nor a guideline citation');
  }
  const evidence: ResourceRef[] = [];
  const support: string[] = [];
  for (const token of draft.evidence) {
    const ref = ctx.resolveEvidence(token);
    if (!ref) return drop('unknown-evidence', `evidence token "${token}" was not in the input`);
    // The patient, the encounter and the rules' own conclusions are not facts a claim can rest on.
    const lines = ctx.factLines(token);
    if (lines.length === 0) continue;
    support.push(...lines);
    if (!evidence.includes(ref)) evidence.push(ref);
  }
  if (evidence.length === 0 && draft.citations.length === 0) {
    return drop(
      'no-fact-evidence',
      'statement cites only the patient, the encounter or rule results, not a recorded fact',
    );
  }
  const citations: VerifiedStatement['citations'] = [];
  for (const c of draft.citations) {
    const passage = ctx.passages.get(c.chunkId);
    if (!passage) return drop('unknown-chunk', `chunk "${c.chunkId}" was not among the retrieved passages`);
    const short =
      c.quote.trim().length < STATEMENT_LIMITS.minQuoteChars ||
      wordCount(c.quote) < STATEMENT_LIMITS.minQuoteWords;
    if (short && !isWholeSentence(passage, c.quote)) {
      return drop('quote-too-short', `quote from "${c.chunkId}" is too short to check`);
    }
    if (!verifyQuote(passage, c.quote)) {
      return drop('quote-not-found', `quote is not an exact substring of "${c.chunkId}"`);
    }
    support.push(c.quote);
    citations.push(citationFor(passage, c.quote));
  }
  // Every number the statement states must be one its evidence or its quotes show.
  const shown = new Set(numbersIn(support.join('\n')));
  const unsupported = [...new Set(numbersIn(text))].filter((n) => !shown.has(n));
  if (unsupported.length > 0) {
    return drop(
      'unsupported-number',
      `number(s) ${unsupported.join(', ')} appear in none of the cited facts or quotes`,
    );
  }
  return { ok: true, statement: { text, evidence, citations } };
}

export function verifyStatements(
  drafts: readonly DraftStatement[],
  ctx: VerifyContext,
): { statements: VerifiedStatement[]; dropped: DroppedStatement[] } {
  const statements: VerifiedStatement[] = [];
  const dropped: DroppedStatement[] = [];
  for (const d of drafts) {
    const r = verifyStatement(d, ctx);
    if (r.ok) statements.push(r.statement);
    else dropped.push(r.dropped);
  }
  return { statements, dropped };
}

export function enoughSurvived(kept: number, total: number): boolean {
  return kept > 0 && kept / total >= MIN_SURVIVING_SHARE;
}

export function verifySummaryDraft(draft: SummaryDraft, ctx: VerifyContext): VerificationOutcome {
  const { statements, dropped } = verifyStatements(draft.statements, ctx);
  const total = draft.statements.length;
  return { statements, dropped, total, enough: enoughSurvived(statements.length, total) };
}

export function verifyTriageDraft(
  draft: TriageDraft,
  ctx: VerifyContext,
): VerificationOutcome & { triage: TriageAdvice } {
  const redFlags = verifyStatements(draft.redFlags, ctx);
  const rationale = verifyStatements(draft.rationale, ctx);
  const total = draft.redFlags.length + draft.rationale.length;
  const statements = [...rationale.statements, ...redFlags.statements];
  return {
    statements,
    dropped: [...rationale.dropped, ...redFlags.dropped],
    total,
    // The level needs a grounded rationale: red flags alone do not explain a level.
    enough: rationale.statements.length > 0 && enoughSurvived(statements.length, total),
    triage: {
      suggestedLevel: draft.suggestedLevel as TriageAdvice['suggestedLevel'],
      expectedResources: [...new Set(draft.expectedResources)],
      redFlags: redFlags.statements,
      rationale: rationale.statements,
      rationaleDropped: rationale.dropped.length,
    },
  };
}

export function countDropped(dropped: readonly DroppedStatement[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of dropped) {
    const code = d.code ?? 'other';
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}
