// Whether the patient is pregnant today, and what says so: a current pregnancy on the problem list, a recent
// pregnancy-status observation, or a recent gestational age (which also gives the weeks).
import { conditionsIn } from '../conditions-query.ts';
import type { ClinicalSnapshot, ConditionFact, ResourceRef, Sex } from '../types.ts';
import type { ObservationFacts } from './observations.ts';

/** A pregnancy-status observation older than this no longer says anything about today. */
const PREGNANCY_STATUS_MAX_AGE_MS = 280 * 24 * 3_600_000;
/**
 * A pregnancy condition that began longer ago than this (a pregnancy's longest course, 44 weeks) is a
 * past pregnancy left active on the problem list, not a pregnancy today.
 */
const PREGNANCY_CONDITION_MAX_AGE_MS = 44 * 7 * 24 * 3_600_000;

export function pregnancyOf(
  conditions: ConditionFact[],
  obs: Pick<ObservationFacts, 'pregnancyStatus' | 'gestationalAge'>,
  sex: Sex,
  atMs: number,
): Pick<ClinicalSnapshot['patient'], 'pregnant' | 'pregnancy'> {
  const sources: ResourceRef[] = conditionsIn(conditions, 'pregnancy')
    .filter((c) => !c.onset || atMs - Date.parse(c.onset) <= PREGNANCY_CONDITION_MAX_AGE_MS)
    .map((c) => c.source);
  const ps = obs.pregnancyStatus;
  if (ps && atMs - ps.t <= PREGNANCY_STATUS_MAX_AGE_MS && ps.pregnant) sources.push(ps.source);
  const ga = obs.gestationalAge;
  const gaCurrent = ga && atMs - ga.t <= PREGNANCY_STATUS_MAX_AGE_MS ? ga : undefined;
  if (gaCurrent) sources.push(gaCurrent.source);
  const pregnant = sex !== 'male' && sources.length > 0;
  if (!pregnant) return { pregnant };
  return {
    pregnant,
    pregnancy: {
      sources: [...new Set(sources)],
      ...(gaCurrent ? { gestationalWeeks: gaCurrent.weeks } : {}),
    },
  };
}
