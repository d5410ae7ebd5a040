// The snapshot: what buildSnapshot reads out of FHIR. Every fact keeps the `Type/id` of the resource it
// came from so a statement can always be traced back to its input.

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
  encounter?: {
    source: ResourceRef;
    status?: string;
    classCode?: string;
    reason?: string;
    /** The encounter was over at `at` (finished, or its period ended): its reason is history, not today's complaint. */
    over?: boolean;
  };
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
