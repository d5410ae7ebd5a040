// Hand-built inputs for the model chain's tests: a septic-looking adult with a safety floor of
// level 2, two guideline passages, and answers a model could give for them.
import type { Assessment, ClinicalSnapshot, TriageResult } from '../../src/clinical/types.ts';
import type { Passage } from '../../src/guidelines/types.ts';
import type { AdviceRequest } from '../../src/llm/types.ts';

export const AT = '2026-11-26T12:00:00Z';
const minutesAgo = (m: number) => new Date(Date.parse(AT) - m * 60_000).toISOString();

export function snapshotFixture(overrides: Partial<ClinicalSnapshot> = {}): ClinicalSnapshot {
  return {
    at: AT,
    patient: {
      source: 'Patient/pat-7f3a',
      ageYears: 67,
      ageMonths: 67 * 12 + 4,
      sex: 'female',
      pregnant: false,
    },
    encounter: { source: 'Encounter/enc-55b1', status: 'in-progress', classCode: 'EMER' },
    conditions: [
      {
        source: 'Condition/cond-dm2',
        codes: [{ system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' }],
        display: 'Diabetes mellitus type 2',
        clinicalStatus: 'active',
        verificationStatus: 'confirmed',
        onset: '2018-03-01T00:00:00Z',
      },
      {
        source: 'Condition/cond-old',
        codes: [],
        display: 'Acute bronchitis',
        clinicalStatus: 'resolved',
        verificationStatus: 'confirmed',
      },
    ],
    medications: [
      {
        source: 'MedicationRequest/med-metf',
        rxnorm: ['860975'],
        display: 'metformin 500 MG Oral Tablet',
        status: 'active',
        ingredients: ['metformin'],
        classes: ['biguanide'],
        draft: false,
      },
    ],
    allergies: [
      {
        source: 'AllergyIntolerance/alg-pen',
        codes: [],
        display: 'Penicillin',
        criticality: 'high',
        category: ['medication'],
        classes: ['penicillin'],
      },
    ],
    vitals: {
      heartRate: {
        latest: { value: 118, unit: '/min', at: minutesAgo(10), source: 'Observation/obs-hr-2' },
        history: [{ value: 96, unit: '/min', at: minutesAgo(180), source: 'Observation/obs-hr-1' }],
      },
      respiratoryRate: {
        latest: { value: 26, unit: '/min', at: minutesAgo(10), source: 'Observation/obs-rr-2' },
        history: [],
      },
      spo2: {
        latest: { value: 89, unit: '%', at: minutesAgo(10), source: 'Observation/obs-spo2-2' },
        history: [],
      },
      systolicBP: {
        latest: { value: 92, unit: 'mm[Hg]', at: minutesAgo(12), source: 'Observation/obs-bp-2' },
        history: [],
      },
      temperature: {
        latest: { value: 38.9, unit: 'Cel', at: minutesAgo(15), source: 'Observation/obs-temp-2' },
        history: [],
      },
    },
    labs: {
      lactate: {
        latest: { value: 4.1, unit: 'mmol/L', at: minutesAgo(45), source: 'Observation/obs-lac-1' },
        history: [],
      },
    },
    notes: [],
    resources: [],
    warnings: [],
    ...overrides,
  };
}

export const FLOOR_TRIAGE: TriageResult = {
  level: 2,
  floorLevel: 2,
  reasons: ['SpO2 89 % is below 92 %', 'NEWS2 is 7 or more'],
  evidence: ['Observation/obs-spo2-2'],
  basis: 'floor',
};

export function assessmentFixture(triage: TriageResult = FLOOR_TRIAGE): Assessment {
  return {
    at: AT,
    patient: { ageYears: 67, sex: 'female' },
    scores: {
      news2: {
        total: 9,
        components: { respiratoryRate: 3, spo2: 3, systolicBP: 2, heartRate: 2, temperature: 1 },
        band: 'high',
        evidence: ['Observation/obs-rr-2', 'Observation/obs-spo2-2'],
      },
      qsofa: {
        total: 2,
        components: { respiratoryRate: 1, systolicBP: 1 },
        evidence: ['Observation/obs-rr-2'],
      },
      sirs: { total: null, reason: 'white cell count not available' },
      shockIndex: { total: 1.28, components: {}, evidence: ['Observation/obs-hr-2', 'Observation/obs-bp-2'] },
      cha2ds2vasc: { total: null, reason: 'no atrial fibrillation' },
      egfr: { total: null, reason: 'no creatinine' },
    },
    triage,
    findings: [
      {
        id: 'sepsis-screen',
        severity: 'critical',
        summary: 'Possible sepsis: raised lactate with fast breathing and low blood pressure',
        evidence: ['Observation/obs-lac-1', 'Observation/obs-rr-2', 'Observation/obs-bp-2'],
        topics: ['sepsis', 'lactate'],
        suggestions: [],
        citations: [],
      },
    ],
  };
}

export const PASSAGES: Passage[] = [
  {
    chunkId: 'sepsis-guide#lactate',
    documentId: 'sepsis-guide',
    title: 'Recognising and managing suspected sepsis',
    issuer: 'Example Health Body',
    year: 2024,
    url: 'https://guidelines.example.org/sepsis',
    section: 'Lactate',
    text: 'A venous lactate above 4 mmol/L in an adult with suspected sepsis marks high risk. Start treatment within one hour and involve a senior clinician.',
    topics: ['sepsis', 'lactate'],
    codes: [],
    contentHash: 'a'.repeat(64),
  },
  {
    chunkId: 'oxygen-guide#targets',
    documentId: 'oxygen-guide',
    title: 'Oxygen in acutely ill adults',
    issuer: 'Example Thoracic Group',
    year: 2023,
    url: 'https://guidelines.example.org/oxygen',
    section: 'Targets',
    text: 'Aim for an oxygen saturation of 94 to 98 percent in most acutely ill adults. Give oxygen when saturation falls below 92 percent.',
    topics: ['oxygen'],
    codes: [],
    contentHash: 'b'.repeat(64),
  },
];

export function requestFixture(overrides: Partial<AdviceRequest> = {}): AdviceRequest {
  return {
    kind: 'triage',
    snapshot: snapshotFixture(),
    assessment: assessmentFixture(),
    passages: PASSAGES,
    budgetMs: 5_000,
    ...overrides,
  };
}

/** The user message the fake model received (the rendered patient input). */
export function userMessage(body: unknown): string {
  const messages = (body as { messages?: Array<{ role: string; content: string }> }).messages ?? [];
  return messages.find((m) => m.role === 'user')?.content ?? '';
}

/** The evidence token the input gave to a line starting with `label` (e.g. 'SpO2', 'lactate'). */
export function tokenOf(body: unknown, label: string): string {
  const m = new RegExp(`- (E\\d+) ${label}`).exec(userMessage(body));
  if (!m) throw new Error(`no evidence token for ${label}`);
  return m[1]!;
}

/** A grounded triage answer built from the tokens and passages the request actually carried. */
export function groundedTriage(body: unknown, level = 2) {
  return {
    suggestedLevel: level,
    expectedResources: ['labs', 'iv-fluids', 'iv-im-or-nebulised-medication'],
    redFlags: [
      {
        text: 'Oxygen saturation is 89 %, below the usual target.',
        evidence: [tokenOf(body, 'SpO2')],
        citations: [
          { chunkId: 'oxygen-guide#targets', quote: 'Give oxygen when saturation falls below 92 percent.' },
        ],
      },
    ],
    rationale: [
      {
        text: 'Lactate of 4.1 mmol/L with fast breathing suggests high-risk sepsis.',
        evidence: [tokenOf(body, 'lactate'), tokenOf(body, 'respiratory rate')],
        citations: [
          {
            chunkId: 'sepsis-guide#lactate',
            quote: 'A venous lactate above 4 mmol/L in an adult with suspected sepsis marks high risk.',
          },
        ],
      },
      {
        text: 'Heart rate has risen to 118 per minute.',
        evidence: [tokenOf(body, 'heart rate')],
        citations: [],
      },
    ],
  };
}
