// Structured signals the triage rules read, worked out once per assessment from the snapshot: the
// chief-complaint concepts, age band, pregnancy, immunocompromise, anticoagulants, dialysis, fever,
// the pain score, chronic pain conditions and coded acute confusion.
import { currentConditionsIn } from '../conditions-query.ts';
import { hasClass } from '../rules/context.ts';
import { vital } from '../scores/inputs.ts';
import type { ClinicalSnapshot, ConditionFact, MedicationFact, ResourceRef } from '../types.ts';
import { type Concept, complaintConcepts } from './concepts.ts';
import { type Immunocompromise, immunocompromise } from './immunosuppression.ts';

export type AgeBand = 'under-1-month' | 'under-3-months' | 'under-1-year' | 'child' | 'adult' | 'older-adult';

export interface TriageSignals {
  complaint: Map<Concept, string>;
  ageMonths: number | null;
  /** null when the age is unknown. */
  ageBand: AgeBand | null;
  pregnancy?: { evidence: ResourceRef[]; gestationalWeeks?: number; stated: boolean };
  immunocompromise: Immunocompromise[];
  anticoagulants: MedicationFact[];
  dialysis?: { evidence: ResourceRef[] };
  /** A measured temperature of 38.0 °C or more, or a fever named in the complaint. */
  fever?: { what: string; evidence: ResourceRef[] };
  /** The current pain score (0–10), charted or stated in the complaint ("9/10"). */
  pain?: { score: number; source?: ResourceRef };
  chronicPain: ConditionFact[];
  sickleCell: ConditionFact[];
  /** Acute confusion or delirium recorded as a condition in the last 7 days (or without an onset). */
  codedConfusion: ConditionFact[];
}

/** Fever for these rules: 38.0 °C (the ESI febrile-infant threshold and SIRS' "> 38 °C" neighbour). */
export const FEVER_C = 38.0;
const CODED_CONFUSION_WINDOW_MS = 7 * 24 * 3_600_000;

export function ageBandOf(ageMonths: number | null): AgeBand | null {
  if (ageMonths === null) return null;
  if (ageMonths < 1) return 'under-1-month';
  if (ageMonths < 3) return 'under-3-months';
  if (ageMonths < 12) return 'under-1-year';
  if (ageMonths < 18 * 12) return 'child';
  if (ageMonths < 65 * 12) return 'adult';
  return 'older-adult';
}

const STATED_PAIN =
  /\b(10|[0-9])(?:\.\d)?\s*\/\s*10\b|\bpain (?:score )?(?:of |is |=\s*)?(10|[0-9])\b(?!\s*(?:days?|hours?|hrs?|weeks?|mins?|minutes?|years?))/i;

function statedPain(text: string | undefined): number | undefined {
  const m = text ? STATED_PAIN.exec(text) : null;
  if (!m) return undefined;
  return Number(m[1] ?? m[2]);
}

/**
 * The complaint the rules read: the nurse's chief complaint, else the encounter's recorded reason (what
 * an EHR sends with a CDS hook) while that encounter is going on. A finished visit's reason (last year's
 * "drug overdose", a routine check-up) is not today's complaint. Free text only ever raises acuity.
 */
export function complaintText(s: ClinicalSnapshot): string | undefined {
  return (s.chiefComplaint ?? currentEncounterReason(s))?.slice(0, MAX_COMPLAINT_CHARS);
}

/**
 * The most of a complaint the rules read: four times the triage app's own limit (500), and enough for any
 * list of encounter reasons; an EHR's megabyte of reason text would otherwise hold the hook for seconds.
 */
export const MAX_COMPLAINT_CHARS = 2000;

/** The recorded reason of an encounter still going on at `at`. */
export function currentEncounterReason(s: ClinicalSnapshot): string | undefined {
  return s.encounter?.over ? undefined : s.encounter?.reason;
}

export function triageSignals(s: ClinicalSnapshot): TriageSignals {
  const text = complaintText(s);
  const complaint = complaintConcepts(text);
  const active = s.medications.filter((m) => !m.draft);
  const atMs = Date.parse(s.at);
  const stated = complaint.has('stated-pregnancy') && s.patient.sex !== 'male';
  const pregnancy =
    s.patient.pregnant || stated
      ? {
          evidence: s.patient.pregnancy?.sources ?? [],
          ...(s.patient.pregnancy?.gestationalWeeks !== undefined
            ? { gestationalWeeks: s.patient.pregnancy.gestationalWeeks }
            : {}),
          stated: !s.patient.pregnant,
        }
      : undefined;
  const immuno = immunocompromise(s.conditions, active, s.recentMedications ?? []);
  if (complaint.has('recent-chemotherapy'))
    immuno.push({ what: `the complaint mentions ${complaint.get('recent-chemotherapy')}` });
  if (complaint.has('transplant'))
    immuno.push({ what: `the complaint mentions ${complaint.get('transplant')}` });
  const dialysis = currentConditionsIn(s.conditions, 'dialysis');
  const temp = vital(s, 'temperature');
  const fever =
    temp && temp.value >= FEVER_C
      ? { what: `temperature ${temp.value} °C`, evidence: [temp.source] }
      : complaint.has('fever')
        ? { what: `"${complaint.get('fever')}" in the complaint`, evidence: [] }
        : undefined;
  const painMeasured = vital(s, 'pain');
  const painStated = statedPain(text);
  const pain =
    painMeasured && (painStated === undefined || painMeasured.value >= painStated)
      ? { score: painMeasured.value, source: painMeasured.source }
      : painStated !== undefined
        ? { score: painStated }
        : undefined;
  return {
    complaint,
    ageMonths: s.patient.ageMonths,
    ageBand: ageBandOf(s.patient.ageMonths),
    ...(pregnancy ? { pregnancy } : {}),
    immunocompromise: immuno,
    anticoagulants: active.filter((m) => hasClass(m, 'anticoagulant')),
    ...(dialysis.length > 0 ? { dialysis: { evidence: dialysis.map((c) => c.source) } } : {}),
    ...(fever ? { fever } : {}),
    ...(pain ? { pain } : {}),
    chronicPain: currentConditionsIn(s.conditions, 'chronicPain'),
    sickleCell: currentConditionsIn(s.conditions, 'sickleCell'),
    codedConfusion: currentConditionsIn(s.conditions, 'acuteConfusion').filter(
      (c) => !c.onset || atMs - Date.parse(c.onset) <= CODED_CONFUSION_WINDOW_MS,
    ),
  };
}
