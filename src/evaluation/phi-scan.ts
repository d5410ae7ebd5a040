// Looks for HIPAA Safe Harbor identifiers in text that left for a model: the patient's own
// identifying strings (names, record numbers, birth date) and generic patterns (full dates, phone
// numbers, e-mail addresses, SSNs). A finding is a reason to stop and look, not proof of a leak.
import type { Patient } from '@medplum/fhirtypes';

export interface PhiFinding {
  kind: 'name' | 'identifier' | 'birth-date' | 'full-date' | 'phone' | 'email' | 'ssn' | 'address';
  match: string;
}

const PATTERNS: Array<{ kind: PhiFinding['kind']; re: RegExp }> = [
  { kind: 'full-date', re: /\b(19|20)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b/g },
  { kind: 'email', re: /\b[\w.+-]+@[\w-]+\.[\w.]+\b/g },
  { kind: 'ssn', re: /\b\d{3}-\d{2}-\d{4}\b/g },
  { kind: 'phone', re: /(?<![\d-])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?![\d-])/g },
];

/** The strings that identify this patient, taken from the Patient resource. */
export function patientIdentifiers(
  patient: Patient | undefined,
): Array<{ kind: PhiFinding['kind']; value: string }> {
  if (!patient) return [];
  const out: Array<{ kind: PhiFinding['kind']; value: string }> = [];
  for (const n of patient.name ?? []) {
    for (const part of [...(n.given ?? []), n.family ?? ''])
      if (part.length >= 3) out.push({ kind: 'name', value: part });
  }
  for (const id of patient.identifier ?? []) if (id.value) out.push({ kind: 'identifier', value: id.value });
  if (patient.birthDate) out.push({ kind: 'birth-date', value: patient.birthDate });
  for (const a of patient.address ?? [])
    for (const line of a.line ?? []) out.push({ kind: 'address', value: line });
  for (const t of patient.telecom ?? [])
    if (t.value) out.push({ kind: t.system === 'email' ? 'email' : 'phone', value: t.value });
  return out;
}

export function scanForPhi(text: string, identifiers: ReturnType<typeof patientIdentifiers>): PhiFinding[] {
  const findings: PhiFinding[] = [];
  const lower = text.toLowerCase();
  for (const id of identifiers) {
    // A name counts as a whole word: "Sam" is in "same", "Sage" in "dosage", neither is the patient.
    const found =
      id.kind === 'name'
        ? new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(id.value)}(?![\\p{L}\\p{N}])`, 'iu').test(text)
        : lower.includes(id.value.toLowerCase());
    if (found) findings.push({ kind: id.kind, match: id.value });
  }
  for (const { kind, re } of PATTERNS) {
    for (const m of text.matchAll(re)) findings.push({ kind, match: m[0] });
  }
  return findings;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
