// The model's part of one decision, inside what is left of the hook's time budget. A failing model
// degrades the answer to the rules alone (status 'error'), never breaks it.
import type { Assessment, ClinicalSnapshot } from '../clinical/types.ts';
import type { Config } from '../config.ts';
import type { ScoredPassage } from '../guidelines/types.ts';
import { phiTermsFromResources } from '../llm/redact.ts';
import type { AdviceResult, Advisor } from '../llm/types.ts';
import type { DecisionNotes } from './retrieve.ts';
import type { PipelineInput } from './types.ts';

export const ms = (from: number) => Math.round(performance.now() - from);

/** What the model is given: the snapshot, the cited assessment and the retrieved passages. */
export interface AdviceInputs {
  snapshot: ClinicalSnapshot;
  snapshotHash: string;
  assessment: Assessment;
  passages: ScoredPassage[];
}

export async function adviseInBudget(
  deps: { advisor: Advisor; config: Pick<Config, 'HOOK_BUDGET_MS'> },
  input: PipelineInput,
  given: AdviceInputs,
  started: number,
  notes: DecisionNotes,
): Promise<AdviceResult> {
  if (!(input.adviceKind && deps.advisor.enabled)) {
    return {
      kind: input.adviceKind ?? 'summary',
      status: 'disabled',
      statements: [],
      dropped: [],
      durationMs: 0,
    };
  }
  const t = performance.now();
  // The budget counts from the request's arrival: FHIR fetching has already spent part of it.
  const budgetMs = Math.max(0, deps.config.HOOK_BUDGET_MS - ms(input.startedAt ?? started) - 150);
  try {
    return await deps.advisor.advise({
      kind: input.adviceKind,
      snapshot: given.snapshot,
      assessment: given.assessment,
      passages: given.passages,
      budgetMs,
      // Names, identifiers and addresses from the input resources are redacted from free text
      // even where no pattern would recognise them (a bare name in a chief complaint).
      phiTerms: phiTermsFromResources(input.resources),
      snapshotHash: given.snapshotHash,
    });
  } catch (err) {
    notes.errors.push(`model failed: ${(err as Error).message}`);
    return {
      kind: input.adviceKind,
      status: 'error',
      statements: [],
      dropped: [],
      durationMs: ms(t),
      error: (err as Error).message,
    };
  }
}
