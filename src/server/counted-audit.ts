// An audit write made by a route (a 412's record, a feedback batch).
import type { Runtime } from './runtime.ts';

/**
 * Timed and counted like the pipeline's own appends, and reported to readiness, so a store that stops
 * writing turns /readyz red whichever path found it.
 */
export async function appendCounted<T>(runtime: Runtime, append: () => Promise<T>): Promise<T> {
  try {
    const out = await runtime.metrics.timeAuditAppend(append);
    runtime.health.auditWrite(true);
    return out;
  } catch (err) {
    runtime.health.auditWrite(false);
    throw err;
  }
}
