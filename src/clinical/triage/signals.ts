// Structured signals the triage rules read, worked out once per assessment from the snapshot: the
// chief-complaint concepts, age band, pregnancy, immunocompromise, anticoagulants, dialysis, fever,
// the pain score, chronic pain conditions and coded acute confusion.
import { CONDITION_CODES } from '../codes.ts';
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

function matching(
  conditions: readonly ConditionFact[],
  codes: readonly string[],
  text: RegExp,
): ConditionFact[] {
  const set = new Set(codes);
  return conditions.filter(
    (c) =>
      c.codes.some((x) => x.code && set.has(x.code)) ||
      text.test(c.display) ||
      c.codes.some((x) => text.test(x.display ?? '')),
  );
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
 * an EHR sends with a CDS hook). Free text only ever raises acuity.
 */
export function complaintText(s: ClinicalSnapshot): string | undefined {
  return s.chiefComplaint ?? s.encounter?.reason;
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
  const dialysis = matching(s.conditions, CONDITION_CODES.dialysis, /dialysis|dialysed|dialyzed/i);
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
    chronicPain: matching(
      s.conditions,
      CONDITION_CODES.chronicPain,
      /chronic (\w+ )*pain|fibromyalgia|chronic (low )?back|chronic pelvic|chronic pancreatitis|migraine/i,
    ),
    sickleCell: matching(s.conditions, CONDITION_CODES.sickleCell, /sickle/i),
    codedConfusion: matching(
      s.conditions,
      CONDITION_CODES.acuteConfusion,
      /acute confusion|delirium|acute confusional/i,
    ).filter((c) => !c.onset || atMs - Date.parse(c.onset) <= CODED_CONFUSION_WINDOW_MS),
  };
}
