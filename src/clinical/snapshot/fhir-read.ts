// Small readers over raw FHIR shapes, used only while building the snapshot (rules never see raw FHIR).
import type { CodeableConcept, Resource } from '@medplum/fhirtypes';
import type { Coding, ResourceRef } from '../types.ts';

export function refOf(r: Resource): ResourceRef | undefined {
  return r.id ? `${r.resourceType}/${r.id}` : undefined;
}

export function codingsOf(cc: CodeableConcept | undefined): Coding[] {
  if (!cc?.coding) return [];
  const out: Coding[] = [];
  for (const c of cc.coding) {
    if (!c || (c.code === undefined && c.display === undefined)) continue;
    out.push({ system: c.system, code: c.code, display: c.display });
  }
  return out;
}

export function textOf(cc: CodeableConcept | undefined): string {
  if (!cc) return '';
  if (cc.text) return cc.text;
  for (const c of cc.coding ?? []) if (c.display) return c.display;
  for (const c of cc.coding ?? []) if (c.code) return c.code;
  return '';
}

/** A status CodeableConcept's code, whatever the system (senders disagree on it). */
export function statusCode(cc: CodeableConcept | undefined): string | undefined {
  for (const c of cc?.coding ?? []) if (c.code) return c.code;
  return cc?.text?.toLowerCase();
}

/** Milliseconds since epoch for a FHIR date/dateTime/instant, or NaN. Partial dates parse as their start. */
export function timeOf(s: string | undefined): number {
  if (!s) return Number.NaN;
  return Date.parse(s.length === 4 ? `${s}-01-01` : s.length === 7 ? `${s}-01` : s);
}
