// Which LOINC codes feed which snapshot series, how far back a reading still counts as "current", and
// which values are physiologically implausible (flagged with a reason and never scored).
import { LOINC, LOINC_VARIANT } from './codes.ts';
import { round } from './format.ts';
import type { LabKind, VitalKind } from './types.ts';
import type { MeasureKind } from './units.ts';

export type KindRef = { group: 'vital'; kind: VitalKind } | { group: 'lab'; kind: LabKind };

const v = (kind: VitalKind): KindRef => ({ group: 'vital', kind });
const l = (kind: LabKind): KindRef => ({ group: 'lab', kind });

/** Single-value observations by LOINC code (panels and components are handled in observations.ts). */
export const LOINC_KIND: ReadonlyMap<string, KindRef> = new Map<string, KindRef>([
  [LOINC.heartRate, v('heartRate')],
  [LOINC.heartRateOximetry, v('heartRate')],
  [LOINC.respiratoryRate, v('respiratoryRate')],
  [LOINC.systolicBP, v('systolicBP')],
  [LOINC_VARIANT.systolicSitting, v('systolicBP')],
  [LOINC_VARIANT.systolicStanding, v('systolicBP')],
  [LOINC_VARIANT.systolicSupine, v('systolicBP')],
  [LOINC_VARIANT.systolicMean, v('systolicBP')],
  [LOINC.diastolicBP, v('diastolicBP')],
  [LOINC_VARIANT.diastolicSitting, v('diastolicBP')],
  [LOINC_VARIANT.diastolicStanding, v('diastolicBP')],
  [LOINC_VARIANT.diastolicSupine, v('diastolicBP')],
  [LOINC_VARIANT.diastolicMean, v('diastolicBP')],
  [LOINC.bodyTemperature, v('temperature')],
  [LOINC.oralTemperature, v('temperature')],
  [LOINC.tympanicTemperature, v('temperature')],
  [LOINC.rectalTemperature, v('temperature')],
  [LOINC.axillaryTemperature, v('temperature')],
  [LOINC.coreTemperature, v('temperature')],
  [LOINC_VARIANT.temporalArteryTemperature, v('temperature')],
  [LOINC.spo2PulseOximetry, v('spo2')],
  [LOINC.sao2, v('spo2')],
  // 20564-1 (oxygen saturation in blood) is left out: it may be a venous sample, which is not SpO2.
  [LOINC.inhaledO2Concentration, v('inspiredOxygen')],
  [LOINC.inhaledO2Flow, v('oxygenFlow')],
  [LOINC.gcsTotal, v('gcs')],
  [LOINC.avpu, v('avpu')],
  [LOINC_VARIANT.levelOfConsciousness, v('avpu')],
  [LOINC.pain, v('pain')],
  [LOINC.bodyWeight, v('weight')],
  [LOINC.bodyHeight, v('height')],
  [LOINC.creatinineSerum, l('creatinine')],
  [LOINC.creatinineBlood, l('creatinine')],
  [LOINC.creatinineMolar, l('creatinine')],
  [LOINC.egfrMdrd, l('egfr')],
  [LOINC.egfrMdrdNonBlack, l('egfr')],
  [LOINC.egfrMdrdBlack, l('egfr')],
  [LOINC.egfrCkdEpi2009, l('egfr')],
  [LOINC.egfrCkdEpi2021, l('egfr')],
  [LOINC.egfrCrCys2021, l('egfr')],
  [LOINC.potassiumSerum, l('potassium')],
  [LOINC.potassiumBlood, l('potassium')],
  [LOINC.sodiumSerum, l('sodium')],
  [LOINC.sodiumBlood, l('sodium')],
  [LOINC.bicarbonateSerum, l('bicarbonate')],
  [LOINC.co2Serum, l('bicarbonate')],
  [LOINC.co2Blood, l('bicarbonate')],
  [LOINC.lactateSerum, l('lactate')],
  [LOINC.lactateBlood, l('lactate')],
  [LOINC.glucoseSerum, l('glucose')],
  [LOINC.glucoseBlood, l('glucose')],
  [LOINC.glucoseMolar, l('glucose')],
  [LOINC.glucoseCapillary, l('glucose')],
  [LOINC.wbc, l('wbc')],
  [LOINC.hemoglobin, l('hemoglobin')],
  [LOINC.platelets, l('platelets')],
  [LOINC.hba1c, l('hba1c')],
  [LOINC.hba1cHplc, l('hba1c')],
  [LOINC.urineAlbuminCreatinineRatio, l('uacr')],
  [LOINC.inr, l('inr')],
  [LOINC.troponinIHs, l('troponin')],
  [LOINC.troponinTHs, l('troponin')],
  [LOINC.troponinI, l('troponin')],
  [LOINC.troponinT, l('troponin')],
]);

/** Panels whose components carry the values. */
export const PANEL_CODES: ReadonlySet<string> = new Set([
  LOINC.bpPanel,
  LOINC.bpPanelLegacy,
  LOINC_VARIANT.bpPanelMean,
]);

/** GCS components (§4.1): summed into a total when an observation time has all three and no total. */
export const GCS_COMPONENTS = {
  [LOINC.gcsEye]: 'eye',
  [LOINC.gcsVerbal]: 'verbal',
  [LOINC.gcsMotor]: 'motor',
} as const satisfies Record<string, string>;

/** Gestational-age codes (in weeks or days), and the estimated delivery date it can be worked out from. */
export const GESTATIONAL_AGE_CODES: ReadonlySet<string> = new Set([
  LOINC_VARIANT.gestationalAgeEstimated,
  LOINC_VARIANT.gestationalAgeByLmp,
  LOINC_VARIANT.gestationalAge,
  LOINC_VARIANT.gestationalAgeWeeks,
]);

const HOUR = 3_600_000;
/**
 * How old a reading may be and still be the "latest" as of `at`. Vitals: 24 h (a triage decision rests on
 * today's observations). Acute chemistry: 72 h. Kidney function: 90 days, because the metformin/NSAID rules
 * act on the most recent known eGFR and outpatient labs are rarely fresher. Older readings stay in history.
 */
export const WINDOW_MS: Record<MeasureKind, number> = {
  heartRate: 24 * HOUR,
  respiratoryRate: 24 * HOUR,
  systolicBP: 24 * HOUR,
  diastolicBP: 24 * HOUR,
  temperature: 24 * HOUR,
  spo2: 24 * HOUR,
  inspiredOxygen: 24 * HOUR,
  oxygenFlow: 24 * HOUR,
  gcs: 24 * HOUR,
  avpu: 24 * HOUR,
  pain: 24 * HOUR,
  weight: 365 * 24 * HOUR,
  height: 5 * 365 * 24 * HOUR,
  creatinine: 90 * 24 * HOUR,
  egfr: 90 * 24 * HOUR,
  potassium: 72 * HOUR,
  sodium: 72 * HOUR,
  glucose: 72 * HOUR,
  lactate: 72 * HOUR,
  hemoglobin: 72 * HOUR,
  wbc: 72 * HOUR,
  platelets: 72 * HOUR,
  inr: 72 * HOUR,
  troponin: 72 * HOUR,
  bicarbonate: 72 * HOUR,
  hba1c: 180 * 24 * HOUR,
  uacr: 365 * 24 * HOUR,
};

/**
 * Inclusive plausible range in canonical units; outside it a reading is recorded but never scored. The
 * minimums are what can really be recorded in a deteriorating patient: apnoea (RR 0), a heart rate of 1+
 * and a systolic BP from 20 mmHg are scored, not dropped. A heart rate of 0 is flagged (no pulse is an
 * arrest, not a vital sign), as are 55 °C or an SpO2 of 130 %.
 */
export const PLAUSIBLE: Partial<Record<MeasureKind, readonly [number, number]>> = {
  heartRate: [1, 300],
  respiratoryRate: [0, 80],
  systolicBP: [20, 300],
  diastolicBP: [10, 200],
  temperature: [25, 45],
  spo2: [40, 100],
  inspiredOxygen: [21, 100],
  oxygenFlow: [0, 80],
  gcs: [3, 15],
  pain: [0, 10],
  weight: [0.3, 400],
  height: [20, 250],
  creatinine: [0.1, 30],
  egfr: [0, 250],
  potassium: [1.5, 10],
  sodium: [100, 200],
  glucose: [10, 2000],
  lactate: [0, 30],
  hemoglobin: [2, 25],
  wbc: [0, 500],
  platelets: [0, 2000],
  inr: [0.5, 20],
  bicarbonate: [2, 60],
  hba1c: [3, 20],
  uacr: [0, 10_000],
};

export function implausibleReason(kind: MeasureKind, value: number, unit: string): string | undefined {
  if (!Number.isFinite(value)) return `${kind} value is not a number`;
  const range = PLAUSIBLE[kind];
  if (!range) return undefined;
  const [lo, hi] = range;
  if (value < lo || value > hi) {
    return `${kind} ${round(value)} ${unit} is outside the plausible range ${lo}–${hi} ${unit}`;
  }
  return undefined;
}
