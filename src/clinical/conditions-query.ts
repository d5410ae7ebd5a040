// Condition lookups by the code groups in condition-groups.ts: a code match on any coding, else the display
// text. Every rule that asks "does the patient have X" asks here.
import { CONDITION_GROUPS, type ConditionGroup } from './condition-groups.ts';
import type { ConditionFact } from './types.ts';

const CODE_SETS: Record<ConditionGroup, ReadonlySet<string>> = Object.fromEntries(
  Object.entries(CONDITION_GROUPS).map(([k, g]) => [k, new Set<string>(g.codes)]),
) as unknown as Record<ConditionGroup, ReadonlySet<string>>;

/**
 * Whether a condition is in a group: one of its codes is, or its display (and, unless `codingDisplays` is
 * false, the display of one of its codings) names it.
 */
export function inGroup(c: ConditionFact, group: ConditionGroup, { codingDisplays = true } = {}): boolean {
  const codes = CODE_SETS[group];
  for (const coding of c.codes) if (coding.code && codes.has(coding.code)) return true;
  if (CONDITION_GROUPS[group].text.test(c.display)) return true;
  if (!codingDisplays) return false;
  for (const coding of c.codes)
    if (coding.display && CONDITION_GROUPS[group].text.test(coding.display)) return true;
  return false;
}

const HISTORY_OF = /^\s*(?:(?:personal |past )?history of|h\/o|hx of)\b/i;

/**
 * "History of chemotherapy (situation)", "H/O renal dialysis": the record says it happened once, not that
 * it is going on. Triage signals (immunocompromise, dialysis and the like) skip such entries.
 */
export function recordsHistory(c: ConditionFact): boolean {
  const text = c.display || c.codes.find((x) => x.display)?.display || '';
  return HISTORY_OF.test(text);
}

export function conditionsIn(conditions: readonly ConditionFact[], group: ConditionGroup): ConditionFact[] {
  return conditions.filter((c) => inGroup(c, group));
}

/** The conditions in a group that are going on: "history of …" entries are left out. */
export function currentConditionsIn(
  conditions: readonly ConditionFact[],
  group: ConditionGroup,
): ConditionFact[] {
  return conditions.filter((c) => !recordsHistory(c) && inGroup(c, group));
}

export function hasConditionIn(conditions: readonly ConditionFact[], group: ConditionGroup): boolean {
  return conditions.some((c) => inGroup(c, group));
}
