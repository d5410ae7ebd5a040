// Scores, the triage result and the whole assessment that assess() returns.
import type { Citation, Finding } from './finding-types.ts';
import type { ResourceRef, Sex } from './snapshot-types.ts';

export interface ScoreResult<C = Record<string, number>> {
  total: number;
  components: C;
  band?: string;
  evidence: ResourceRef[];
  /** Assumptions the score made (e.g. "no oxygen recorded: scored as air"). */
  notes?: string[];
}

/** A score that could not be computed: null with the reason, never a guess. */
export interface ScoreUnavailable {
  total: null;
  reason: string;
  /** Inputs that were missing. */
  missing?: string[];
  /** The points the known inputs already give: the true total is at least this (never shown as the total). */
  lowerBound?: number;
  /** Components that could be scored. */
  partial?: Record<string, number>;
  evidence?: ResourceRef[];
}

export type Score = ScoreResult | ScoreUnavailable;

export interface TriageResult {
  /** Final level, 1 (most acute) … 5. Never less acute than floorLevel. */
  level: 1 | 2 | 3 | 4 | 5;
  /** What the deterministic rules alone require; null when none applies. */
  floorLevel: 1 | 2 | 3 | 4 | 5 | null;
  reasons: string[];
  evidence: ResourceRef[];
  /** 'floor' in deterministic mode; 'model' or 'floor-override' when a model took part. */
  basis: 'floor' | 'default' | 'model' | 'floor-override';
  /** The floor rules that fired, most acute first (ids are stable, e.g. 'spo2-below-85'). */
  rules?: TriageRuleResult[];
  /** Things the nurse should weigh that do not set the floor ("consider level 2"). */
  advisories?: TriageRuleResult[];
  /**
   * Whether the data allow a level below 3 at all (the low-risk gate for ESI 4 and 5), and if not, why.
   * Absent means "not checked", which is treated as not allowed.
   */
  lowRisk?: {
    eligible: boolean;
    blockers: string[];
    /** The least urgent level the data allow: 3 when the gate is closed, 4 when a resource is implied. */
    lowestLevel?: 3 | 4 | 5;
    lowestLevelReason?: string;
  };
  /** Citations for the default reason or the gate, when no rule carries one. */
  citation?: Citation;
}

/** One triage rule that fired, with where it comes from and the passage its reason cites. */
export interface TriageRuleResult {
  id: string;
  level: 1 | 2;
  reason: string;
  evidence: ResourceRef[];
  /** ESI decision point: A (life-saving intervention), B (high-risk), D (danger-zone vitals). */
  point?: 'A' | 'B' | 'D';
  /** The source line shown with the reason. */
  source?: string;
  /** Chunk id of the guideline passage this reason cites. */
  passage?: string;
  /** The topic that passage carries. */
  topic?: string;
  /** Filled by the pipeline from the guideline index. */
  citation?: Citation;
}

export interface Assessment {
  at: string;
  patient: { ageYears: number | null; sex: Sex };
  scores: {
    news2: Score;
    qsofa: Score;
    sirs: Score;
    shockIndex: Score;
    cha2ds2vasc: Score;
    egfr: Score;
    /** ESI v4 danger-zone vitals for the age band (total = number of vitals beyond the limits). */
    dangerZone?: Score;
  };
  triage: TriageResult;
  findings: Finding[];
  /** Data-quality notes carried over from the snapshot (implausible values, unknown units, …). */
  warnings?: string[];
}
