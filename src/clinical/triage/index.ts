// The triage rule registry: every rule of ESI decision points A (→ 1), B (→ 2) and D (danger-zone vitals,
// → 2 here), one file per body system, each rule with its signals, reason, source line and cited passage.
// floor.ts runs them; the order here is the order reasons are listed within a level.
import { ABDOMEN_PELVIS_RULES } from './abdomen-pelvis.ts';
import { AIRWAY_BREATHING_RULES } from './airway-breathing.ts';
import { CIRCULATION_RULES } from './circulation.ts';
import { EARLY_WARNING_RULES } from './early-warning.ts';
import { GENERAL_RULES } from './general.ts';
import { MENTAL_HEALTH_TRAUMA_RULES } from './mental-health-trauma.ts';
import { METABOLIC_RULES } from './metabolic.ts';
import { NEUROLOGICAL_RULES } from './neurological.ts';
import { PAIN_RULES } from './pain.ts';
import type { TriageRule } from './types.ts';

export const TRIAGE_RULES: readonly TriageRule[] = [
  ...AIRWAY_BREATHING_RULES,
  ...CIRCULATION_RULES,
  ...NEUROLOGICAL_RULES,
  ...METABOLIC_RULES,
  ...GENERAL_RULES,
  ...EARLY_WARNING_RULES,
  ...ABDOMEN_PELVIS_RULES,
  ...MENTAL_HEALTH_TRAUMA_RULES,
  ...PAIN_RULES,
];

export const TRIAGE_RULE_IDS: readonly string[] = TRIAGE_RULES.map((r) => r.id);
