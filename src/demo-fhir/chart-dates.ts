// "Dated as current": a chart is shifted so that its newest clinical entry is one hour old, as an EHR would
// hold it. Claims and benefit statements are left out of "newest" because Synthea dates their billing
// periods a year ahead of the last visit.
import type { Bundle } from '@medplum/fhirtypes';
import { shiftBundleDates } from './date-shift.ts';

const NOT_CLINICAL: ReadonlySet<string> = new Set(['Claim', 'ExplanationOfBenefit', 'Coverage']);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const HOUR_MS = 3_600_000;

function newestIn(value: unknown, best: number): number {
  if (typeof value === 'string') {
    if (!DATE_TIME.test(value)) return best;
    const t = Date.parse(value);
    return Number.isNaN(t) ? best : Math.max(best, t);
  }
  if (Array.isArray(value)) return value.reduce((b: number, v) => newestIn(v, b), best);
  if (value && typeof value === 'object')
    return Object.values(value).reduce((b: number, v) => newestIn(v, b), best);
  return best;
}

/** The newest clinical date-time in the bundle (ms), or undefined when it has none. */
function newestClinicalTime(bundle: Bundle): number | undefined {
  let best = Number.NEGATIVE_INFINITY;
  for (const e of bundle.entry ?? []) {
    if (!e.resource || NOT_CLINICAL.has(e.resource.resourceType)) continue;
    best = newestIn(e.resource, best);
  }
  return Number.isFinite(best) ? best : undefined;
}

/** A copy of the chart with every date moved so that its newest clinical entry is one hour before `now`. */
export function shiftChartToNow(bundle: Bundle, now: Date): Bundle {
  const newest = newestClinicalTime(bundle);
  if (newest === undefined) throw new Error('chart has no clinical date to shift from');
  return shiftBundleDates({ ...bundle, timestamp: new Date(newest + HOUR_MS).toISOString() }, now);
}
