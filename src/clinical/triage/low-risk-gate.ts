// The low-risk gate for ESI 4 and 5 (issue 11; ESI reaches decision point C only after A, B and D are
// answered no, §1.5). Nothing, model or rule, may put a patient below level 3 unless every condition
// holds; otherwise the level stays 3 and the card lists what stood in the way. The model's own condition
// (its rationale passed verification) is checked where the model's level is combined (combine-with-model.ts).
import { hasCurrentVitalSigns } from '../scores/inputs.ts';
import type { ClinicalSnapshot, Score, TriageResult } from '../types.ts';
import { scoreComponents } from './early-warning.ts';
import { impliedResources } from './resources.ts';
import type { TriageSignals } from './signals.ts';
import type { FloorScores } from './types.ts';

/** NEWS2 at or below this total (with no single parameter scoring 3) is low enough for ESI 4–5. */
export const LOW_RISK_NEWS2_MAX = 1;

function dangerZoneClear(dz: Score): boolean {
  return dz.total === 0;
}

export function lowRiskGate(
  s: ClinicalSnapshot,
  scores: FloorScores,
  signals: TriageSignals,
  floor: Pick<TriageResult, 'floorLevel'>,
): NonNullable<TriageResult['lowRisk']> {
  const blockers: string[] = [];
  const n2 = scores.news2;
  if (!hasCurrentVitalSigns(s)) blockers.push('no complete set of current vital signs');
  if (n2.total === null)
    blockers.push(`NEWS2 cannot be computed (${(n2.missing ?? []).join(', ') || n2.reason})`);
  else if (n2.total > LOW_RISK_NEWS2_MAX) blockers.push(`NEWS2 is ${n2.total} (above ${LOW_RISK_NEWS2_MAX})`);
  const c = scoreComponents(n2);
  if (c && Object.values(c).some((p) => p === 3)) blockers.push('a NEWS2 parameter scores 3');
  if (!dangerZoneClear(scores.dangerZone))
    blockers.push(
      scores.dangerZone.total === null ? 'the danger-zone check is incomplete' : 'a danger-zone vital sign',
    );
  if (floor.floorLevel !== null) blockers.push(`a safety rule sets level ${floor.floorLevel}`);
  const months = signals.ageMonths;
  if (months === null) blockers.push('age unknown');
  else if (months >= 65 * 12) blockers.push(`age ${Math.floor(months / 12)} (65 or over)`);
  else if (months < 3) blockers.push('age under 3 months');
  if (signals.pregnancy) blockers.push('pregnancy');
  if (signals.immunocompromise.length > 0)
    blockers.push(`immunocompromised (${signals.immunocompromise[0]!.what})`);
  if (signals.anticoagulants.length > 0)
    blockers.push(`on an anticoagulant (${signals.anticoagulants[0]!.display})`);
  const unread = s.notUnderstood?.length ?? 0;
  if (unread > 0) blockers.push(`${unread} vital-sign reading(s) not understood`);
  const resources = impliedResources(signals);
  if (resources.count === 2)
    blockers.push(
      `the complaint ("${resources.because}") implies two or more resources (ESI decision point C)`,
    );
  const eligible = blockers.length === 0;
  return {
    eligible,
    blockers,
    lowestLevel: !eligible ? 3 : resources.count === 1 ? 4 : 5,
    ...(eligible && resources.count === 1
      ? {
          lowestLevelReason: `the complaint ("${resources.because}") implies at least one resource (ESI decision point C)`,
        }
      : {}),
  };
}
