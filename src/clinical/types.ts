// The clinical core's vocabulary. Everything downstream (cards, model chain, SMART page, audit)
// reads these types; nothing downstream reads raw FHIR. Every fact keeps the `Type/id` of the
// resource it came from so a statement can always be traced back to its input.

/** A FHIR reference in `Type/id` form, e.g. `Observation/abc`. */
export type ResourceRef = string;

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export type Sex = 'female' | 'male' | 'other' | 'unknown';

export const VITAL_KINDS = [
  'heartRate',
  'respiratoryRate',
  'systolicBP',
  'diastolicBP',
  'temperature',
  'spo2',
  'inspiredOxygen',
  'oxygenFlow',
  'gcs',
  'avpu',
  'pain',
  'weight',
  'height',
] as const;
export type VitalKind = (typeof VITAL_KINDS)[number];

export const LAB_KINDS = [
  'creatinine',
  'potassium',
  'sodium',
  'glucose',
  'lactate',
  'egfr',
  'hemoglobin',
  'wbc',
  'platelets',
  'inr',
  'troponin',
  'bicarbonate',
  'hba1c',
  /** Urine albumin/creatinine ratio (mg/g). */
  'uacr',
] as const;
export type LabKind = (typeof LAB_KINDS)[number];

/** One normalised reading (canonical units: /min, mm[Hg], Cel, %, kg, cm, mg/dL, mmol/L…). */
export interface Measurement {
  value: number;
  unit: string;
  /** ISO-8601 effective time. */
  at: string;
  source: ResourceRef;
  /** Set when the value is physiologically implausible; such readings are never scored. */
  implausible?: string;
  /** For AVPU/ACVPU: 'A' | 'C' | 'V' | 'P' | 'U' (value is then 0). */
  code?: string;
  /** True when the reading says the patient was on supplemental oxygen. */
  onOxygen?: boolean;
}

export interface Series {
  /** The newest reading within the window before `at`, when it is plausible. */
  latest?: Measurement;
  /**
   * The newest reading within the window when it is implausible: it is not scored, and no older reading
   * stands in for it (an extreme value must not be replaced silently by an earlier normal one).
   */
  unusable?: Measurement;
  /** Older readings (and implausible ones), newest first; feed trends and the SMART charts. */
  history: Measurement[];
}

export interface ConditionFact {
  source: ResourceRef;
  codes: Coding[];
  display: string;
  clinicalStatus: string;
  verificationStatus: string;
  onset?: string;
  /** True for provisional/differential/unconfirmed diagnoses: kept, but rules say "possible". */
  tentative?: boolean;
}

export interface MedicationFact {
  source: ResourceRef;
  /** RxNorm codes as given. */
  rxnorm: string[];
  display: string;
  status: string;
  /** Normalised ingredient keys (lower-case names, e.g. 'metformin') used by rules. */
  ingredients: string[];
  /** Drug classes from our own code tables (e.g. 'anticoagulant', 'nsaid', 'penicillin'). */
  classes: string[];
  /** True for a draft order from order-select/order-sign. */
  draft: boolean;
  /** When it was ordered or recorded (ISO-8601), for evidence a clinician can read. */
  since?: string;
  /** The dose from the first dosageInstruction, when stated (amount per dose, how often a day). */
  dose?: { amount: number; unit?: string; timesPerDay?: number };
}

export interface AllergyFact {
  source: ResourceRef;
  codes: Coding[];
  display: string;
  criticality?: 'low' | 'high' | 'unable-to-assess';
  /** FHIR category (medication, food, environment, biologic). */
  category: string[];
  /** Drug classes the substance belongs to (e.g. 'penicillin', 'sulfonamide'). */
  classes: string[];
  /** Ingredient keys when the substance is a named drug (e.g. 'amoxicillin'). */
  ingredients?: string[];
}

export interface NoteFact {
  source: ResourceRef;
  text: string;
  /** Free text is always untrusted: it may carry instructions that must be ignored. */
  untrusted: true;
  /** ISO-8601 date of the note, when known. */
  date?: string;
}

export interface ClinicalSnapshot {
  /** The "as of" time, ISO-8601. */
  at: string;
  patient: {
    source?: ResourceRef;
    ageYears: number | null;
    /** Age in whole months (paediatric bands need it); null when birth date is unknown. */
    ageMonths: number | null;
    sex: Sex;
    pregnant: boolean;
    /** What says the patient is pregnant, and the gestational age when one is recorded. */
    pregnancy?: { sources: ResourceRef[]; gestationalWeeks?: number };
  };
  encounter?: { source: ResourceRef; status?: string; classCode?: string; reason?: string };
  conditions: ConditionFact[];
  medications: MedicationFact[];
  /**
   * Medicines no longer active that were ordered, taken or given in the last 6 weeks (clinical-sources
   * §1.5.1: chemotherapy given recently still leaves a patient immunocompromised). Rules that check
   * interactions read `medications` only.
   */
  recentMedications?: Array<MedicationFact & { lastTaken: string }>;
  allergies: AllergyFact[];
  vitals: Partial<Record<VitalKind, Series>>;
  labs: Partial<Record<LabKind, Series>>;
  notes: NoteFact[];
  chiefComplaint?: string;
  /** Every resource that went in, with version data, for the audit trail. */
  resources: Array<{ ref: ResourceRef; versionId?: string; lastUpdated?: string }>;
  /** Things the snapshot noticed: implausible values dropped, unknown units, … */
  warnings: string[];
  /**
   * Vital-sign Observations whose code CiteCare does not read: shown as "not understood", never
   * silently counted as missing.
   */
  notUnderstood?: Array<{ source: ResourceRef; code: string; system: string; display?: string }>;
}

export type Severity = 'info' | 'warning' | 'critical';

/** A suggestion drawn from the fixed action catalogue (src/clinical/actions.ts). */
export interface CatalogueSuggestion {
  /** Catalogue key, e.g. 'order-lactate', 'remove-draft-order'. */
  action: string;
  label: string;
  /** For delete actions: the draft order's `Type/id`. */
  targetRef?: ResourceRef;
  isRecommended?: boolean;
}

export interface Citation {
  chunkId: string;
  title: string;
  issuer: string;
  year: number;
  url: string;
  section: string;
  /** An exact substring of the cited passage. */
  quote: string;
}

export interface Finding {
  /** Stable rule id, e.g. 'sepsis-screen', 'drug-allergy'. */
  id: string;
  severity: Severity;
  /** One sentence, under 140 characters. */
  summary: string;
  /** Longer explanation in Markdown (our own words). */
  detail?: string;
  evidence: ResourceRef[];
  /** Tags that drive guideline retrieval, e.g. ['sepsis', 'lactate']. */
  topics: string[];
  /** Extra retrieval query text. */
  query?: string;
  /**
   * Cite only a passage carrying this topic. A rule sets it when a near miss would mislead (a
   * penicillin passage for a sulfonamide allergy); with no such passage the card cites nothing.
   */
  citeOnly?: string;
  suggestions: CatalogueSuggestion[];
  /** Cite exactly this passage (a chunk id) instead of searching for one. */
  passage?: string;
  /** Set on chart-review lines (medication review, care gaps): what the cards and snoozes need. */
  review?: ReviewItem;
  /** Filled by the pipeline from retrieval; empty until then. */
  citations: Citation[];
}

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

/** One order of severity for chart-review lines: high first. */
export const REVIEW_SEVERITIES = ['high', 'moderate', 'low'] as const;
export type ReviewSeverity = (typeof REVIEW_SEVERITIES)[number];

/** One problem found by the chart review: a medication-review line or a care gap. */
export interface ReviewItem {
  /** Stable across reviews of the same problem, e.g. `interaction:digoxin-rate-control:digoxin+verapamil`. */
  key: string;
  group: 'medication-review' | 'care-gap';
  /** The table row or gap rule behind it. */
  rule: string;
  severity: ReviewSeverity;
  /** One line in our own words: the problem and what to do. */
  text: string;
  /** Drug names, lab values and dates a clinician can check (never raw resource ids). */
  evidenceText: string;
  /** What the evidence was (drugs with strength and dose, conditions): a change shows the item again. */
  fingerprint: string;
  /** The lab value behind a drug–lab line: a worse value shows a hidden item again. */
  labValue?: number;
  /** The draft order involved (order hooks). */
  draftRef?: ResourceRef;
}
