// The encounter the assessment is about: one in progress at `at`, else the latest one that started before it
// (then marked `over`: a past visit's reason is history, not the presentation now).
import type { Encounter } from '@medplum/fhirtypes';
import type { ClinicalSnapshot } from '../types.ts';
import { refOf, textOf, timeOf } from './fhir-read.ts';

const OPEN: ReadonlySet<string> = new Set(['in-progress', 'arrived', 'triaged', 'onleave', 'planned']);

export function pickEncounter(encounters: readonly Encounter[], atMs: number): ClinicalSnapshot['encounter'] {
  let best: Encounter | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const e of encounters) {
    if (!e.id || e.status === 'entered-in-error' || e.status === 'cancelled') continue;
    const start = timeOf(e.period?.start);
    if (!Number.isNaN(start) && start > atMs) continue;
    const end = timeOf(e.period?.end);
    const ongoing = OPEN.has(e.status) || Number.isNaN(end) || end >= atMs;
    // Ongoing encounters beat finished ones; then the latest start wins.
    const score = (ongoing ? 1e15 : 0) + (Number.isNaN(start) ? 0 : start);
    if (score > bestScore) {
      best = e;
      bestScore = score;
    }
  }
  if (!best) return undefined;
  const end = timeOf(best.period?.end);
  const over = best.status === 'finished' || (!OPEN.has(best.status) && !Number.isNaN(end) && end < atMs);
  const reason = best.reasonCode
    ?.map((r) => textOf(r))
    .filter((t) => t !== '')
    .join('; ');
  return {
    source: refOf(best)!,
    status: best.status,
    ...(best.class?.code ? { classCode: best.class.code } : {}),
    ...(reason ? { reason } : {}),
    ...(over ? { over } : {}),
  };
}
