// Conditions: only those that are current (active, recurrence, relapse — or no status, as older senders
// omit it) and not refuted or entered in error. Provisional and differential diagnoses stay, marked.
import type { Condition } from '@medplum/fhirtypes';
import {
  isCurrentConditionStatus,
  isExcludedVerification,
  isTentativeVerification,
  NO_STATUS,
} from '../status.ts';
import type { ConditionFact } from '../types.ts';
import { codingsOf, refOf, statusCode, textOf } from './fhir-read.ts';

function abated(c: Condition, atMs: number): boolean {
  const date = c.abatementDateTime ?? c.abatementPeriod?.end ?? c.abatementPeriod?.start;
  if (date !== undefined) return !(Date.parse(date) > atMs);
  return c.abatementString !== undefined || c.abatementAge !== undefined || c.abatementRange !== undefined;
}

export function conditionFact(c: Condition, atMs: number): ConditionFact | undefined {
  const source = refOf(c);
  if (!source) return undefined;
  const clinical = statusCode(c.clinicalStatus);
  const verification = statusCode(c.verificationStatus) ?? NO_STATUS;
  if (isExcludedVerification(verification)) return undefined;
  if (!isCurrentConditionStatus(clinical)) return undefined;
  // Without a status, an abatement that has happened says the condition is over.
  if (clinical === undefined && abated(c, atMs)) return undefined;
  const onset = c.onsetDateTime ?? c.onsetPeriod?.start ?? c.recordedDate;
  if (onset && Date.parse(onset) > atMs) return undefined;
  return {
    source,
    codes: codingsOf(c.code),
    display: textOf(c.code),
    clinicalStatus: clinical ?? NO_STATUS,
    verificationStatus: verification,
    ...(onset ? { onset } : {}),
    ...(isTentativeVerification(verification) ? { tentative: true } : {}),
  };
}
