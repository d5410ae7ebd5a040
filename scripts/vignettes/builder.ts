// Vignette builder: a compact, hand-written case (complaint, demographics, vitals as charted, history,
// notes, the reference answer) → a full fictional FHIR R4 Bundle in the evaluation format that
// src/evaluation/vignettes.ts loads. The reference ESI level and the NEWS2 / qSOFA totals are written by hand
// in the spec; the builder recomputes NEWS2 and qSOFA from the published tables (clinical-sources §1.1,
// §1.2), independently of the product's code, and refuses a case whose hand-written totals disagree.
import type { BundleEntry, Observation, Resource } from '@medplum/fhirtypes';

export type Acvpu = 'A' | 'C' | 'V' | 'P' | 'U';

/** How a vital sign is charted: the code variants real systems send (clinical-sources §4.1 notes). */
export interface ChartedAs {
  /** body = 8310-5; the others are site-specific LOINC codes. The unit follows vitals.temp / tempF. */
  temp?: 'body' | 'oral' | 'tympanic' | 'rectal' | 'axillary' | 'core';
  /** 85354-9 panel (US Core), 55284-4 panel (older senders) or two separate observations. */
  bp?: '85354-9' | '55284-4' | 'separate';
  spo2?: '59408-5' | '2708-6';
  hr?: '8867-4' | '8889-8';
  /**
   * 67775-7 or 80288-4 with a SNOMED answer; 67775-7-text = CodeableConcept text only; string = valueString;
   * gcs = GCS total only (9269-2); gcs-components = eye, verbal and motor observations.
   */
  consciousness?: '67775-7' | '80288-4' | '67775-7-text' | 'string' | 'gcs' | 'gcs-components';
}

export interface Vitals {
  hr?: number;
  rr?: number;
  sbp?: number;
  dbp?: number;
  /** Temperature in °C, charted in Cel. */
  temp?: number;
  /** Temperature in °F, charted in [degF] (scored as °C rounded to 0.1). */
  tempF?: number;
  spo2?: number;
  /** Supplemental oxygen flow in L/min (3151-8); absent = room air. */
  o2?: number;
  acvpu?: Acvpu;
  /** GCS eye, verbal, motor. Used when consciousness is charted as GCS. */
  gcs?: [number, number, number];
  pain?: number;
}

export interface VignetteSpec {
  id: string;
  cc: string;
  sex: 'male' | 'female';
  age: { years?: number; months?: number; days?: number };
  vitals: Vitals;
  as?: ChartedAs;
  conditions?: { snomed?: string; display: string; onset?: string; status?: 'active' | 'resolved' }[];
  meds?: {
    rxnorm: string;
    display: string;
    date: string;
    kind?: 'request' | 'statement';
    /** Default active; completed (statement) or stopped (request) for a past course. */
    status?: 'active' | 'completed' | 'stopped';
  }[];
  /** Pregnancy charted as a Condition (77386006), a pregnancy-status Observation (82810-3), or both. */
  pregnancy?: { via: 'condition' | 'observation' | 'both'; weeks?: number };
  notes?: string[];
  /** Extra vital-sign observations, e.g. a code the reader may not know. */
  extraVitals?: { loinc: string; display: string; value: number; unit: string }[];
  ref: { esi: 1 | 2 | 3 | 4 | 5; why: string; news2: number | null; qsofa: number | null };
  /** Low-risk control: reference ESI 3–5 that must never be shown as ESI 1 or 2. */
  control?: boolean;
  tags: string[];
  /** LOINC codes of vital-sign observations a correct reader must report as not understood. */
  unrecognisedCodes?: string[];
}

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const UCUM = 'http://unitsofmeasure.org';
const VITAL_CATEGORY = [
  {
    coding: [
      {
        system: 'http://terminology.hl7.org/CodeSystem/observation-category',
        code: 'vital-signs',
        display: 'Vital Signs',
      },
    ],
  },
];

const TEMP_CODES: Record<NonNullable<ChartedAs['temp']>, [string, string]> = {
  body: ['8310-5', 'Body temperature'],
  oral: ['8331-1', 'Oral temperature'],
  tympanic: ['8333-7', 'Tympanic membrane temperature'],
  rectal: ['8332-9', 'Rectal temperature'],
  axillary: ['8328-7', 'Axillary temperature'],
  core: ['8329-5', 'Body temperature - Core'],
};

const ACVPU_ANSWER: Record<Acvpu, { code: string; display: string; system: string }> = {
  A: { system: SNOMED, code: '248234008', display: 'Mentally alert' },
  C: { system: SNOMED, code: '130987000', display: 'Acute confusion' },
  V: { system: SNOMED, code: '300202002', display: 'Responds to voice' },
  P: { system: SNOMED, code: '450847001', display: 'Responds to pain' },
  U: { system: SNOMED, code: '422768004', display: 'Unresponsive' },
};
const ACVPU_TEXT: Record<Acvpu, string> = {
  A: 'Alert',
  C: 'Confused',
  V: 'Voice',
  P: 'Pain',
  U: 'Unresponsive',
};

/** GCS component LOINC codes and their answers (clinical-sources §4.2), indexed by score − 1. */
const GCS_ANSWERS: [string, string, [string, string][]][] = [
  [
    '9267-6',
    'Glasgow coma score eye opening',
    [
      ['LA6553-7', 'No eye opening'],
      ['LA6554-5', 'Eye opening to pain'],
      ['LA6555-2', 'Eye opening to verbal command'],
      ['LA6556-0', 'Eyes open spontaneously'],
    ],
  ],
  [
    '9270-0',
    'Glasgow coma score verbal',
    [
      ['LA6557-8', 'No verbal response'],
      ['LA6558-6', 'Incomprehensible sounds'],
      ['LA6559-4', 'Inappropriate words'],
      ['LA6560-2', 'Confused'],
      ['LA6561-0', 'Oriented'],
    ],
  ],
  [
    '9268-4',
    'Glasgow coma score motor',
    [
      ['LA6562-8', 'No motor response'],
      ['LA6563-6', 'Extension to pain'],
      ['LA6564-4', 'Flexion to pain'],
      ['LA6565-1', 'Withdrawal from pain'],
      ['LA6566-9', 'Localizing pain'],
      ['LA6567-7', 'Obeys commands'],
    ],
  ],
];

// ---- Independent scoring from the published tables (clinical-sources §1.1 and §1.2) ----

export interface News2Components {
  respiratoryRate: number;
  spo2: number;
  supplementalOxygen: number;
  systolicBP: number;
  heartRate: number;
  consciousness: number;
  temperature: number;
}

export function ageInYears(age: VignetteSpec['age']): number {
  return (age.years ?? 0) + (age.months ?? 0) / 12 + (age.days ?? 0) / 365.25;
}

export function tempCelsius(v: Vitals): number | undefined {
  if (v.temp !== undefined) return v.temp;
  return v.tempF === undefined ? undefined : ((v.tempF - 32) * 5) / 9;
}

/** Consciousness as ACVPU: from the charted letter, else from GCS (15 = alert, below = altered). */
export function consciousnessOf(v: Vitals): Acvpu | undefined {
  if (v.acvpu) return v.acvpu;
  if (v.gcs) return v.gcs[0] + v.gcs[1] + v.gcs[2] === 15 ? 'A' : 'C';
  return undefined;
}

const band = (x: number, rows: [number, number][]): number => {
  for (const [upTo, points] of rows) if (x <= upTo) return points;
  throw new Error(`no band for ${x}`);
};

/** NEWS2 on SpO2 scale 1, or null when the patient is under 16 or a parameter is missing. */
export function news2Of(spec: VignetteSpec): { total: number; components: News2Components } | null {
  const v = spec.vitals;
  const avpu = consciousnessOf(v);
  if (ageInYears(spec.age) < 16) return null;
  if (v.rr === undefined || v.spo2 === undefined || v.sbp === undefined || v.hr === undefined) return null;
  const celsius = tempCelsius(v);
  if (celsius === undefined || avpu === undefined) return null;
  const temp = Math.round(celsius * 10) / 10;
  const components: News2Components = {
    respiratoryRate: band(v.rr, [
      [8, 3],
      [11, 1],
      [20, 0],
      [24, 2],
      [Number.POSITIVE_INFINITY, 3],
    ]),
    spo2: band(v.spo2, [
      [91, 3],
      [93, 2],
      [95, 1],
      [Number.POSITIVE_INFINITY, 0],
    ]),
    supplementalOxygen: v.o2 !== undefined && v.o2 > 0 ? 2 : 0,
    systolicBP: band(v.sbp, [
      [90, 3],
      [100, 2],
      [110, 1],
      [219, 0],
      [Number.POSITIVE_INFINITY, 3],
    ]),
    heartRate: band(v.hr, [
      [40, 3],
      [50, 1],
      [90, 0],
      [110, 1],
      [130, 2],
      [Number.POSITIVE_INFINITY, 3],
    ]),
    consciousness: avpu === 'A' ? 0 : 3,
    temperature: band(temp, [
      [35.0, 3],
      [36.0, 1],
      [38.0, 0],
      [39.0, 1],
      [Number.POSITIVE_INFINITY, 2],
    ]),
  };
  const total = Object.values(components).reduce((a, b) => a + b, 0);
  return { total, components };
}

/** qSOFA (adults, 18 and over): RR ≥ 22, SBP ≤ 100, altered mentation. Null when an input is missing. */
export function qsofaOf(spec: VignetteSpec): number | null {
  const v = spec.vitals;
  const avpu = consciousnessOf(v);
  if (ageInYears(spec.age) < 18) return null;
  if (v.rr === undefined || v.sbp === undefined || avpu === undefined) return null;
  return (v.rr >= 22 ? 1 : 0) + (v.sbp <= 100 ? 1 : 0) + (avpu === 'A' ? 0 : 1);
}

// ---- FHIR resources ----

export interface BuildOptions {
  /** The "as of" time of the case (ISO UTC). */
  at: string;
  /** Prefix of resource ids and record numbers, e.g. "hold". */
  prefix: string;
  family: string;
}

const GIVEN = ['Alex', 'Sam', 'Robin', 'Jordan', 'Casey', 'Morgan', 'Rowan', 'Quinn', 'Avery', 'Sky'];

function birthDate(at: string, age: VignetteSpec['age']): string {
  const d = new Date(at);
  d.setUTCFullYear(d.getUTCFullYear() - (age.years ?? 0));
  d.setUTCMonth(d.getUTCMonth() - (age.months ?? 0));
  d.setUTCDate(d.getUTCDate() - (age.days ?? 0));
  return d.toISOString().slice(0, 10);
}

const minutesBefore = (at: string, min: number) => new Date(Date.parse(at) - min * 60_000).toISOString();
const daysBefore = (at: string, days: number) =>
  new Date(Date.parse(at) - days * 86_400_000).toISOString().slice(0, 10);

/** `-14d` style relative dates (days before the case) or an absolute ISO date. */
export function resolveDate(at: string, date: string): string {
  const m = /^-(\d+)d$/.exec(date);
  return m ? daysBefore(at, Number(m[1])) : date;
}

function quantity(value: number, unit: string) {
  return { value, unit, system: UCUM, code: unit };
}

export function buildVignette(spec: VignetteSpec, opts: BuildOptions) {
  const news2 = news2Of(spec);
  const qsofa = qsofaOf(spec);
  if ((news2?.total ?? null) !== spec.ref.news2)
    throw new Error(
      `${spec.id}: hand-written NEWS2 ${spec.ref.news2} but the table gives ${news2?.total ?? null} ${JSON.stringify(news2?.components)}`,
    );
  if (qsofa !== spec.ref.qsofa)
    throw new Error(`${spec.id}: hand-written qSOFA ${spec.ref.qsofa} but the criteria give ${qsofa}`);
  if (spec.control && spec.ref.esi < 3) throw new Error(`${spec.id}: a control must have reference ESI 3–5`);

  const token = /^[a-z]*\d+/.exec(spec.id)?.[0];
  if (!token) throw new Error(`${spec.id}: an id starts with letters and a number, e.g. h01-…`);
  const num = /\d+/.exec(token)![0];
  const pid = `${opts.prefix}-${token}`;
  const subject = { reference: `Patient/${pid}` };
  const encounter = { reference: `Encounter/${pid}-enc` };
  const taken = minutesBefore(opts.at, 15);
  const resources: Resource[] = [];

  resources.push({
    resourceType: 'Patient',
    id: pid,
    meta: { tag: [{ system: 'urn:citecare:demo', code: 'fictional', display: 'Fictional demo patient' }] },
    identifier: [{ system: 'urn:citecare:demo-mrn', value: `MRN-${pid.toUpperCase()}` }],
    name: [{ use: 'official', given: [GIVEN[Number(num) % GIVEN.length]!], family: `${opts.family}-${num}` }],
    gender: spec.sex,
    birthDate: birthDate(opts.at, spec.age),
  });
  resources.push({
    resourceType: 'Encounter',
    id: `${pid}-enc`,
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER', display: 'emergency' },
    subject,
    period: { start: minutesBefore(opts.at, 25) },
    reasonCode: [{ text: spec.cc }],
  });

  const vital = (
    key: string,
    code: string,
    display: string,
    value: Partial<Pick<Observation, 'valueQuantity' | 'valueCodeableConcept' | 'valueString' | 'component'>>,
  ) =>
    resources.push({
      resourceType: 'Observation',
      id: `${pid}-${key}`,
      status: 'final',
      category: VITAL_CATEGORY,
      code: { coding: [{ system: LOINC, code, display }], text: display },
      subject,
      encounter,
      effectiveDateTime: taken,
      ...value,
    });

  const v = spec.vitals;
  const as = spec.as ?? {};
  if (v.hr !== undefined) {
    const [code, display] =
      as.hr === '8889-8' ? ['8889-8', 'Heart rate by Pulse oximetry'] : ['8867-4', 'Heart rate'];
    vital('hr', code, display, { valueQuantity: quantity(v.hr, '/min') });
  }
  if (v.rr !== undefined)
    vital('rr', '9279-1', 'Respiratory rate', { valueQuantity: quantity(v.rr, '/min') });
  if (v.sbp !== undefined) {
    const sys = {
      code: { coding: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }] },
      valueQuantity: quantity(v.sbp, 'mm[Hg]'),
    };
    const dia = {
      code: { coding: [{ system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' }] },
      valueQuantity: quantity(v.dbp ?? Math.round(v.sbp * 0.6), 'mm[Hg]'),
    };
    const bp = as.bp ?? '85354-9';
    if (bp === 'separate') {
      vital('sbp', '8480-6', 'Systolic blood pressure', { valueQuantity: sys.valueQuantity });
      vital('dbp', '8462-4', 'Diastolic blood pressure', { valueQuantity: dia.valueQuantity });
    } else {
      const display =
        bp === '85354-9'
          ? 'Blood pressure panel with all children optional'
          : 'Blood pressure systolic and diastolic';
      vital('bp', bp, display, { component: [sys, dia] });
    }
  }
  if (v.temp !== undefined || v.tempF !== undefined) {
    const [code, display] = TEMP_CODES[as.temp ?? 'body'];
    const q = v.temp !== undefined ? quantity(v.temp, 'Cel') : quantity(v.tempF!, '[degF]');
    vital('temp', code, display, { valueQuantity: q });
  }
  if (v.spo2 !== undefined) {
    const [code, display] =
      as.spo2 === '2708-6'
        ? ['2708-6', 'Oxygen saturation in Arterial blood']
        : ['59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'];
    vital('spo2', code, display, { valueQuantity: quantity(v.spo2, '%') });
  }
  if (v.o2 !== undefined)
    vital('o2', '3151-8', 'Inhaled oxygen flow rate', { valueQuantity: quantity(v.o2, 'L/min') });

  const cons = as.consciousness ?? '67775-7';
  if (cons === 'gcs' || cons === 'gcs-components') {
    if (!v.gcs) throw new Error(`${spec.id}: consciousness charted as GCS needs vitals.gcs`);
    const [e, vb, m] = v.gcs;
    if (cons === 'gcs') {
      vital('gcs', '9269-2', 'Glasgow coma score total', { valueQuantity: quantity(e + vb + m, '{score}') });
    } else {
      [e, vb, m].forEach((score, i) => {
        const [code, display, answers] = GCS_ANSWERS[i]!;
        const answer = answers[score - 1];
        if (!answer) throw new Error(`${spec.id}: GCS component ${i} out of range`);
        vital(`gcs-${['eye', 'verbal', 'motor'][i]}`, code, display, {
          valueCodeableConcept: {
            coding: [{ system: LOINC, code: answer[0], display: answer[1] }],
            text: answer[1],
          },
        });
      });
    }
  } else if (v.acvpu) {
    const a = v.acvpu;
    if (cons === '67775-7' || cons === '80288-4') {
      const display = cons === '67775-7' ? 'Level of responsiveness' : 'Level of consciousness';
      vital('acvpu', cons, display, {
        valueCodeableConcept: { coding: [ACVPU_ANSWER[a]], text: ACVPU_ANSWER[a].display },
      });
    } else if (cons === '67775-7-text') {
      vital('acvpu', '67775-7', 'Level of responsiveness', { valueCodeableConcept: { text: ACVPU_TEXT[a] } });
    } else {
      vital('acvpu', '67775-7', 'Level of responsiveness', { valueString: ACVPU_TEXT[a] });
    }
  }
  if (v.pain !== undefined)
    vital('pain', '72514-3', 'Pain severity - 0-10 verbal numeric rating [Score] - Reported', {
      valueQuantity: quantity(v.pain, '{score}'),
    });
  for (const [i, x] of (spec.extraVitals ?? []).entries()) {
    vital(`extra${i + 1}`, x.loinc, x.display, { valueQuantity: quantity(x.value, x.unit) });
  }

  for (const [i, c] of (spec.conditions ?? []).entries()) {
    resources.push({
      resourceType: 'Condition',
      id: `${pid}-cond${i + 1}`,
      clinicalStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: c.status ?? 'active' },
        ],
      },
      verificationStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }],
      },
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/condition-category',
              code: 'problem-list-item',
            },
          ],
        },
      ],
      code: c.snomed
        ? { coding: [{ system: SNOMED, code: c.snomed, display: c.display }], text: c.display }
        : { text: c.display },
      subject,
      onsetDateTime: resolveDate(opts.at, c.onset ?? '2020-01-01'),
    });
  }

  if (spec.pregnancy) {
    const p = spec.pregnancy;
    if (p.via !== 'observation')
      resources.push({
        resourceType: 'Condition',
        id: `${pid}-preg`,
        clinicalStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
        },
        verificationStatus: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' },
          ],
        },
        code: { coding: [{ system: SNOMED, code: '77386006', display: 'Pregnancy' }], text: 'Pregnancy' },
        subject,
        onsetDateTime: daysBefore(opts.at, (p.weeks ?? 6) * 7 - 14),
      });
    if (p.via !== 'condition')
      resources.push({
        resourceType: 'Observation',
        id: `${pid}-pregstatus`,
        status: 'final',
        code: { coding: [{ system: LOINC, code: '82810-3', display: 'Pregnancy status' }] },
        subject,
        effectiveDateTime: minutesBefore(opts.at, 20),
        valueCodeableConcept: { coding: [{ system: LOINC, code: 'LA15173-0', display: 'Pregnant' }] },
      });
    if (p.weeks !== undefined)
      resources.push({
        resourceType: 'Observation',
        id: `${pid}-gestage`,
        status: 'final',
        code: { coding: [{ system: LOINC, code: '49051-6', display: 'Gestational age in weeks' }] },
        subject,
        effectiveDateTime: minutesBefore(opts.at, 20),
        valueQuantity: quantity(p.weeks, 'wk'),
      });
  }

  (spec.meds ?? []).forEach((m, i) => {
    const concept = { coding: [{ system: RXNORM, code: m.rxnorm, display: m.display }], text: m.display };
    const date = resolveDate(opts.at, m.date);
    resources.push(
      m.kind === 'statement'
        ? {
            resourceType: 'MedicationStatement',
            id: `${pid}-med${i + 1}`,
            status: m.status ?? 'active',
            medicationCodeableConcept: concept,
            subject,
            effectiveDateTime: date,
            dateAsserted: date,
          }
        : {
            resourceType: 'MedicationRequest',
            id: `${pid}-med${i + 1}`,
            status: m.status ?? 'active',
            intent: 'order',
            medicationCodeableConcept: concept,
            subject,
            authoredOn: date,
          },
    );
  });

  for (const [i, text] of (spec.notes ?? []).entries()) {
    resources.push({
      resourceType: 'DocumentReference',
      id: `${pid}-note${i + 1}`,
      status: 'current',
      type: { coding: [{ system: LOINC, code: '34111-5', display: 'Emergency department Note' }] },
      subject,
      date: minutesBefore(opts.at, 10),
      content: [
        { attachment: { contentType: 'text/plain', data: Buffer.from(text, 'utf8').toString('base64') } },
      ],
    });
  }

  const entry: BundleEntry[] = resources.map((r) => ({
    fullUrl: `urn:citecare:vignette:${r.resourceType}/${r.id}`,
    resource: r,
  }));
  return {
    id: spec.id,
    chiefComplaint: spec.cc,
    at: opts.at,
    ...(spec.control ? { control: true } : {}),
    tags: spec.tags,
    reference: {
      esi: spec.ref.esi,
      esiRationale: spec.ref.why,
      news2: spec.ref.news2,
      ...(news2 ? { news2Components: news2.components } : {}),
      ...(news2 === null ? { news2Note: news2NullNote(spec) } : {}),
      qsofa: spec.ref.qsofa,
      ...(spec.unrecognisedCodes ? { unrecognisedCodes: spec.unrecognisedCodes } : {}),
    },
    bundle: { resourceType: 'Bundle', type: 'collection', timestamp: opts.at, entry },
  };
}

function news2NullNote(spec: VignetteSpec): string {
  if (ageInYears(spec.age) < 16)
    return 'NEWS2 and qSOFA are adult tools (16 years and over): reference is null.';
  const v = spec.vitals;
  const missing = [
    v.rr === undefined && 'respiratory rate',
    v.spo2 === undefined && 'SpO2',
    v.sbp === undefined && 'systolic BP',
    v.hr === undefined && 'heart rate',
    tempCelsius(v) === undefined && 'temperature',
    consciousnessOf(v) === undefined && 'consciousness',
  ].filter(Boolean);
  return `Not charted: ${missing.join(', ')}. NEWS2 cannot be computed.`;
}
