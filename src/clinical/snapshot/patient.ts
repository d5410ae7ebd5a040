// Patient facts: age as of `at` and sex. Nothing that identifies the person is copied.
import type { Patient } from '@medplum/fhirtypes';
import type { ClinicalSnapshot, Sex } from '../types.ts';
import { refOf } from './fhir-read.ts';

export function ageAt(birthDate: string | undefined, at: Date): { years: number; months: number } | null {
  if (!birthDate) return null;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(birthDate);
  if (!m) return null;
  const by = Number(m[1]);
  const bm = m[2] ? Number(m[2]) : 1;
  const bd = m[3] ? Number(m[3]) : 1;
  const ay = at.getUTCFullYear();
  const am = at.getUTCMonth() + 1;
  const ad = at.getUTCDate();
  let months = (ay - by) * 12 + (am - bm);
  if (ad < bd) months -= 1;
  if (months < 0) return null;
  return { years: Math.floor(months / 12), months };
}

const SEXES: ReadonlySet<string> = new Set(['female', 'male', 'other', 'unknown']);

export function patientFacts(
  p: Patient | undefined,
  at: Date,
  warnings: string[],
): Omit<ClinicalSnapshot['patient'], 'pregnant'> {
  if (!p) {
    warnings.push('No Patient resource: age and sex are unknown.');
    return { ageYears: null, ageMonths: null, sex: 'unknown' };
  }
  const age = ageAt(p.birthDate, at);
  if (!age) warnings.push('Birth date missing, unreadable or after the assessment time: age is unknown.');
  const sex: Sex = p.gender && SEXES.has(p.gender) ? (p.gender as Sex) : 'unknown';
  return { source: refOf(p), ageYears: age?.years ?? null, ageMonths: age?.months ?? null, sex };
}
