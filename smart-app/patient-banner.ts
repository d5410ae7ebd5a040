// Name, age and sex for the banner. The page is the clinician's own UI, so the name may be shown.
import type { HumanName, Patient, Resource } from '@medplum/fhirtypes';

export interface PatientBanner {
  id: string;
  name: string;
  birthDate?: string;
  ageYears: number | null;
  sex: string;
}

function displayName(names: HumanName[] | undefined): string {
  const name = names?.find((n) => n.use === 'official') ?? names?.find((n) => n.use !== 'old') ?? names?.[0];
  if (!name) return 'Unnamed patient';
  if (name.text) return name.text;
  const parts = [...(name.given ?? []), name.family].filter((p): p is string => Boolean(p));
  return parts.length ? parts.join(' ') : 'Unnamed patient';
}

export function ageInYears(birthDate: string | undefined, at: Date): number | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(birthDate ?? '');
  if (!m) return null;
  const [year, month = 1, day = 1] = [Number(m[1]), Number(m[2] ?? 1), Number(m[3] ?? 1)];
  let age = at.getUTCFullYear() - year;
  const beforeBirthday =
    at.getUTCMonth() + 1 < month || (at.getUTCMonth() + 1 === month && at.getUTCDate() < day);
  if (beforeBirthday) age -= 1;
  return age >= 0 ? age : null;
}

export function patientBanner(resource: Resource, at: Date): PatientBanner | null {
  if (resource.resourceType !== 'Patient') return null;
  const p = resource as Patient;
  return {
    id: p.id ?? '',
    name: displayName(p.name),
    birthDate: p.birthDate,
    ageYears: ageInYears(p.birthDate, at),
    sex: p.gender ?? 'unknown',
  };
}
