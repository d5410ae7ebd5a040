// Evidence a clinician can read: drug names, conditions and results with their dates, never raw ids.
import { fmt } from '../format.ts';
import type { ClinicalSnapshot, ResourceRef } from '../types.ts';

const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : undefined);

export function describeRefs(s: ClinicalSnapshot, refs: readonly ResourceRef[]): string[] {
  const out: string[] = [];
  for (const ref of refs) {
    const med = s.medications.find((m) => m.source === ref);
    if (med) {
      out.push(
        `${med.display} (${med.draft ? 'draft order' : day(med.since) ? `since ${day(med.since)}` : 'date not recorded'})`,
      );
      continue;
    }
    const c = s.conditions.find((x) => x.source === ref);
    if (c) {
      out.push(`${c.display}${day(c.onset) ? ` (since ${day(c.onset)})` : ''}`);
      continue;
    }
    for (const [kind, series] of Object.entries(s.labs)) {
      const m = [series?.latest, ...(series?.history ?? [])].find((x) => x?.source === ref);
      if (m) {
        out.push(`${kind} ${fmt(m.value)} ${m.unit} on ${day(m.at)}`);
        break;
      }
    }
  }
  return [...new Set(out)];
}
