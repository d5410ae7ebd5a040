// From a model reply to an AdviceResult: the reply is checked as unknown against the schema,
// every statement goes through the grounding verifier, and too little survivors means fallback.

import type { ModelReply } from './chat-model.ts';
import { combineWithAdvice } from './combine-triage.ts';
import type { PromptTemplate } from './prompts.ts';
import type { RenderedInput } from './render.ts';
import { summaryDraftSchema, triageDraftSchema } from './schemas.ts';
import type { AdviceRequest, AdviceResult } from './types.ts';
import { countDropped, type VerifyContext, verifySummaryDraft, verifyTriageDraft } from './verify.ts';

export function verifyContextFor(rendered: RenderedInput): VerifyContext {
  return {
    resolveEvidence: (t) => rendered.evidence.resolve(t),
    factLines: (t) => rendered.factLines.get(t.trim().toUpperCase()) ?? [],
    passages: rendered.passages,
  };
}

export function outcomeOf(
  request: AdviceRequest,
  prompt: PromptTemplate,
  rendered: RenderedInput,
  common: Omit<AdviceResult, 'status'>,
  reply: ModelReply,
): AdviceResult {
  const ctx = verifyContextFor(rendered);
  const withReply = { ...common, rawOutput: reply.rawOutput, parsed: reply.parsed, usage: reply.usage };
  // The adapter already parsed with the schema; the answer is still checked here as unknown.
  if (prompt.output === 'triage-advice') {
    const draft = triageDraftSchema.safeParse(reply.parsed);
    if (!draft.success)
      return { ...withReply, status: 'fallback', error: 'output does not match the schema' };
    const v = verifyTriageDraft(draft.data, ctx);
    if (!v.enough) return fellBack(withReply, v);
    return {
      ...withReply,
      status: 'ok',
      statements: v.statements,
      dropped: v.dropped,
      droppedCounts: countDropped(v.dropped),
      triage: v.triage,
      finalTriage: combineWithAdvice(request.assessment.triage, request.snapshot, v.triage),
    };
  }
  const draft = summaryDraftSchema.safeParse(reply.parsed);
  if (!draft.success) return { ...withReply, status: 'fallback', error: 'output does not match the schema' };
  const v = verifySummaryDraft(draft.data, ctx);
  if (!v.enough) return fellBack(withReply, v);
  return {
    ...withReply,
    status: 'ok',
    statements: v.statements,
    dropped: v.dropped,
    droppedCounts: countDropped(v.dropped),
  };
}

/** Too little survived: nothing of the answer is used (survivors included), all of it is recorded. */
function fellBack(
  common: Omit<AdviceResult, 'status'>,
  v: { statements: unknown[]; dropped: AdviceResult['dropped']; total: number },
): AdviceResult {
  return {
    ...common,
    status: 'fallback',
    statements: [],
    dropped: v.dropped,
    droppedCounts: countDropped(v.dropped),
    error: `too little survived verification (${v.statements.length} of ${v.total})`,
  };
}
