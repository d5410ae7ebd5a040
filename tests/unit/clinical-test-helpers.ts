// Small snapshot factory for clinical unit tests: a valid snapshot with only the facts a test sets.
import type {
  AllergyFact,
  ClinicalSnapshot,
  ConditionFact,
  LabKind,
  Measurement,
  MedicationFact,
  VitalKind,
} from '../../src/clinical/types.ts';

export const AT = '2026-03-01T12:00:00.000Z';
const RECENT = '2026-03-01T11:30:00.000Z';

let n = 0;
export function ref(type: string): string {
  n++;
  return `${type}/00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

export function m(value: number, extra: Partial<Measurement> = {}): Measurement {
  return { value, unit: '', at: RECENT, source: ref('Observation'), ...extra };
}

export function snapshot(
  opts: {
    ageYears?: number | null;
    ageMonths?: number | null;
    sex?: ClinicalSnapshot['patient']['sex'];
    pregnant?: boolean;
    gestationalWeeks?: number;
    vitals?: Partial<Record<VitalKind, number | Measurement>>;
    labs?: Partial<Record<LabKind, number | Measurement>>;
    conditions?: Array<string | Partial<ConditionFact>>;
    medications?: Array<Partial<MedicationFact>>;
    allergies?: Array<Partial<AllergyFact>>;
    chiefComplaint?: string;
  } = {},
): ClinicalSnapshot {
  const age = opts.ageYears === undefined ? 50 : opts.ageYears;
  const vitals: ClinicalSnapshot['vitals'] = {};
  for (const [k, v] of Object.entries(opts.vitals ?? {})) {
    vitals[k as VitalKind] = { latest: typeof v === 'number' ? m(v) : v, history: [] };
  }
  const labs: ClinicalSnapshot['labs'] = {};
  for (const [k, v] of Object.entries(opts.labs ?? {}))
    labs[k as LabKind] = { latest: typeof v === 'number' ? m(v) : v, history: [] };
  return {
    at: AT,
    patient: {
      source: 'Patient/p1',
      ageYears: age,
      ageMonths: opts.ageMonths !== undefined ? opts.ageMonths : age === null ? null : age * 12,
      sex: opts.sex ?? 'female',
      pregnant: opts.pregnant ?? false,
      ...(opts.pregnant
        ? {
            pregnancy: {
              sources: [ref('Observation')],
              ...(opts.gestationalWeeks !== undefined ? { gestationalWeeks: opts.gestationalWeeks } : {}),
            },
          }
        : {}),
    },
    conditions: (opts.conditions ?? []).map((c) =>
      typeof c === 'string'
        ? {
            source: ref('Condition'),
            codes: [],
            display: c,
            clinicalStatus: 'active',
            verificationStatus: 'confirmed',
          }
        : {
            source: ref('Condition'),
            codes: [],
            display: '',
            clinicalStatus: 'active',
            verificationStatus: 'confirmed',
            ...c,
          },
    ),
    medications: (opts.medications ?? []).map((x) => ({
      source: ref('MedicationRequest'),
      rxnorm: [],
      display: x.ingredients?.join(' ') ?? 'drug',
      status: 'active',
      ingredients: [],
      classes: [],
      draft: false,
      ...x,
    })),
    allergies: (opts.allergies ?? []).map((a) => ({
      source: ref('AllergyIntolerance'),
      codes: [],
      display: 'unnamed substance',
      category: [],
      classes: [],
      ...a,
    })),
    vitals,
    labs,
    notes: [],
    ...(opts.chiefComplaint ? { chiefComplaint: opts.chiefComplaint } : {}),
    resources: [],
    warnings: [],
  };
}

/** Alert adult with all-normal vitals (NEWS2 0). */
export const NORMAL_VITALS = {
  heartRate: 80,
  respiratoryRate: 16,
  systolicBP: 125,
  diastolicBP: 80,
  temperature: 36.8,
  spo2: 98,
  avpu: m(0, { code: 'A' }),
} as const;
