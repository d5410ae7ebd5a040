// UCUM (and common non-UCUM) unit handling. Every measurement is converted to one canonical unit per
// kind so rules compare like with like; an unrecognised unit is reported, never guessed at.
import type { LabKind, VitalKind } from './types.ts';

export type MeasureKind = VitalKind | LabKind;

/** Canonical unit per kind (clinical-sources §4.1/§4.3). */
export const CANONICAL_UNIT: Record<MeasureKind, string> = {
  heartRate: '/min',
  respiratoryRate: '/min',
  systolicBP: 'mm[Hg]',
  diastolicBP: 'mm[Hg]',
  temperature: 'Cel',
  spo2: '%',
  inspiredOxygen: '%',
  oxygenFlow: 'L/min',
  gcs: '{score}',
  avpu: '{ACVPU}',
  pain: '{score}',
  weight: 'kg',
  height: 'cm',
  creatinine: 'mg/dL',
  potassium: 'mmol/L',
  sodium: 'mmol/L',
  glucose: 'mg/dL',
  lactate: 'mmol/L',
  egfr: 'mL/min/{1.73_m2}',
  hemoglobin: 'g/dL',
  wbc: '10*3/uL',
  platelets: '10*3/uL',
  inr: '{INR}',
  troponin: 'as reported',
  bicarbonate: 'mmol/L',
  hba1c: '%',
  uacr: 'mg/g',
};

/** Creatinine: 1 mg/dL = 88.4 µmol/L (clinical-sources §1.9). */
export const CREATININE_UMOL_PER_MGDL = 88.4;
/**
 * Glucose: 1 mmol/L = 18 mg/dL, the clinical convention behind the sheet's paired thresholds (70 mg/dL ≈
 * 3.9 mmol/L, 54 mg/dL = 3.0 mmol/L); the molar-mass 18.016 would move a 3.0 mmol/L meter reading across 54.
 */
export const GLUCOSE_MGDL_PER_MMOL = 18;
/**
 * Lactate: 1 mmol/L = 9 mg/dL, so the sheet's pairs hold exactly (18 mg/dL = 2 mmol/L, 36 mg/dL = 4 mmol/L);
 * the molar-mass 9.008 would put 36 mg/dL just under the lactate ≥ 4 threshold.
 */
export const LACTATE_MGDL_PER_MMOL = 9;

type Converter = (v: number) => number;
const same: Converter = (v) => v;

const PER_MIN = [
  '/min',
  '{beats}/min',
  'beats/min',
  'bpm',
  '{breaths}/min',
  'breaths/min',
  '1/min',
  '/min{beats}',
];
const MMHG = ['mm[Hg]', 'mmHg', 'mm hg', 'mmhg'];
const MMOL = ['mmol/L', 'mmol/l', 'meq/L', 'mEq/L', 'meq/l'];
const MGDL = ['mg/dL', 'mg/dl'];
const UMOL = ['umol/L', 'µmol/L', 'μmol/L', 'umol/l', 'micromol/L'];
const COUNT_K = ['10*3/uL', '10^3/uL', 'K/uL', '10*3/ul', '10*9/L', '10^9/L', 'x10E3/uL', '/nL', '10*3/mm3'];

function table(entries: Array<[string[], Converter]>): Map<string, Converter> {
  const m = new Map<string, Converter>();
  for (const [units, f] of entries) for (const u of units) m.set(u.toLowerCase(), f);
  return m;
}

const CONVERSIONS: Record<MeasureKind, Map<string, Converter>> = {
  heartRate: table([[PER_MIN, same]]),
  respiratoryRate: table([[PER_MIN, same]]),
  systolicBP: table([
    [MMHG, same],
    [['kPa'], (v) => v * 7.50062],
  ]),
  diastolicBP: table([
    [MMHG, same],
    [['kPa'], (v) => v * 7.50062],
  ]),
  temperature: table([
    [['Cel', '°C', 'C', 'degC', 'deg C', 'celsius'], same],
    [['[degF]', '°F', 'F', 'degF', 'deg F', 'fahrenheit'], (v) => ((v - 32) * 5) / 9],
  ]),
  spo2: table([[['%', 'percent', '%{HemoglobinSaturation}'], same]]),
  inspiredOxygen: table([[['%', 'percent'], same]]),
  oxygenFlow: table([
    [['L/min', 'l/min', 'L/min{O2}'], same],
    [['mL/min'], (v) => v / 1000],
  ]),
  gcs: table([[['{score}', '{Score}', 'score', '1', '{points}'], same]]),
  avpu: table([]),
  pain: table([[['{score}', '{Score}', 'score', '1', '{0-10}'], same]]),
  weight: table([
    [['kg', 'kilogram', 'kilograms'], same],
    [['g'], (v) => v / 1000],
    [['[lb_av]', 'lb', 'lbs', '[lb_us]', 'pound', 'pounds'], (v) => v * 0.45359237],
    [['[oz_av]', 'oz'], (v) => v * 0.028349523125],
  ]),
  height: table([
    [['cm'], same],
    [['m'], (v) => v * 100],
    [['mm'], (v) => v / 10],
    [['[in_i]', 'in', 'inch', 'inches', '[in_us]'], (v) => v * 2.54],
    [['[ft_i]', 'ft'], (v) => v * 30.48],
  ]),
  creatinine: table([
    [MGDL, same],
    [UMOL, (v) => v / CREATININE_UMOL_PER_MGDL],
    [['mmol/L'], (v) => (v * 1000) / CREATININE_UMOL_PER_MGDL],
  ]),
  potassium: table([[MMOL, same]]),
  sodium: table([[MMOL, same]]),
  glucose: table([
    [MGDL, same],
    [['mmol/L', 'mmol/l'], (v) => v * GLUCOSE_MGDL_PER_MMOL],
  ]),
  lactate: table([
    [['mmol/L', 'mmol/l', 'meq/L', 'mEq/L'], same],
    [MGDL, (v) => v / LACTATE_MGDL_PER_MMOL],
  ]),
  egfr: table([
    [
      ['mL/min/{1.73_m2}', 'mL/min/1.73m2', 'mL/min/1.73 m2', 'ml/min/1.73m2', 'mL/min/{1.73m2}', 'mL/min'],
      same,
    ],
  ]),
  hemoglobin: table([
    [['g/dL', 'g/dl'], same],
    [['g/L', 'g/l'], (v) => v / 10],
  ]),
  wbc: table([
    [COUNT_K, same],
    [['/uL', '/mm3', '{cells}/uL'], (v) => v / 1000],
  ]),
  platelets: table([
    [COUNT_K, same],
    [['/uL', '/mm3'], (v) => v / 1000],
  ]),
  inr: table([[['{INR}', 'INR', '1', '{ratio}', '{Ratio}'], same]]),
  troponin: table([]),
  bicarbonate: table([[MMOL, same]]),
  hba1c: table([
    [['%', 'percent', '%{Hb}'], same],
    // IFCC mmol/mol → NGSP %: % = mmol/mol / 10.929 + 2.15
    [['mmol/mol'], (v) => v / 10.929 + 2.15],
  ]),
  // 1 mg/mmol = 8.84 mg/g (creatinine 113.12 g/mol).
  uacr: table([
    [['mg/g', 'mg/g{creat}', 'mg/g creat'], same],
    [['mg/mmol', 'mg/mmol{creat}'], (v) => v * 8.84],
  ]),
};

export type UnitResult = { ok: true; value: number; unit: string } | { ok: false; reason: string };

/**
 * Converts a value to its kind's canonical unit. A missing unit is accepted as canonical (most senders omit
 * it only when it is the obvious one); an unknown unit is refused so a wrong conversion can never be scored.
 */
export function toCanonical(kind: MeasureKind, value: number, unit: string | undefined): UnitResult {
  if (kind === 'troponin') return { ok: true, value, unit: unit ?? '' };
  const canonical = CANONICAL_UNIT[kind];
  if (unit === undefined || unit.trim() === '') return { ok: true, value, unit: canonical };
  const f = CONVERSIONS[kind].get(unit.trim().toLowerCase());
  if (!f) return { ok: false, reason: `unit "${unit}" is not recognised for ${kind}` };
  return { ok: true, value: f(value), unit: canonical };
}
