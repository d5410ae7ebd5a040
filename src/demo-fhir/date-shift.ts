// Demo bundles are written as of a fixed moment (Bundle.timestamp). At load every date in them is
// moved forward by (now - timestamp), so vitals are "30 minutes ago" whenever the server starts and
// ages stay what the author wrote.
import type { Bundle } from '@medplum/fhirtypes';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function shiftString(value: string, deltaMs: number): string {
  if (DATE_TIME.test(value)) return new Date(Date.parse(value) + deltaMs).toISOString();
  if (DATE_ONLY.test(value)) {
    const days = Math.round(deltaMs / DAY_MS);
    return new Date(Date.parse(`${value}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
  }
  return value;
}

function shiftValue(value: unknown, deltaMs: number): unknown {
  if (typeof value === 'string') return shiftString(value, deltaMs);
  if (Array.isArray(value)) return value.map((v) => shiftValue(v, deltaMs));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftValue(v, deltaMs)]));
  }
  return value;
}

/** A copy of the bundle with every date moved so that its `timestamp` becomes `now`. */
export function shiftBundleDates(bundle: Bundle, now: Date): Bundle {
  if (!bundle.timestamp) throw new Error('demo bundle has no timestamp to shift dates from');
  const deltaMs = now.getTime() - Date.parse(bundle.timestamp);
  const shifted = shiftValue(bundle, deltaMs) as Bundle;
  return { ...shifted, timestamp: now.toISOString() };
}
