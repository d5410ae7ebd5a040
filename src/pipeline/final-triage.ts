// The final triage of one decision: the deterministic floor, combined with the model's level only when
// the model answered and passed verification. The combination itself is clinical and pure
// (src/clinical/triage/combine-with-model.ts); this maps a verified model answer onto it.
import { hasCurrentVitalSigns } from '../clinical/scores/inputs.ts';
import { combineTriage } from '../clinical/triage/combine-with-model.ts';
import type { ClinicalSnapshot, TriageResult } from '../clinical/types.ts';
import type { AdviceResult, TriageAdvice } from '../llm/types.ts';

/** combineTriage for a verified model answer. */
export function combineWithAdvice(
  floorTriage: TriageResult,
  snapshot: ClinicalSnapshot,
  advice: TriageAdvice,
): TriageResult {
  return combineTriage(
    floorTriage,
    advice.suggestedLevel,
    advice.rationale.flatMap((s) => s.evidence),
    {
      vitalsKnown: hasCurrentVitalSigns(snapshot),
      reasonVerified: advice.rationale.length > 0 && advice.rationaleDropped === 0,
    },
  );
}

/** The floor, or the floor combined with the model's level when the model's answer stands. */
export function finalTriage(
  floorTriage: TriageResult,
  snapshot: ClinicalSnapshot,
  advice: AdviceResult,
): TriageResult {
  return advice.status === 'ok' && advice.triage
    ? combineWithAdvice(floorTriage, snapshot, advice.triage)
    : floorTriage;
}
