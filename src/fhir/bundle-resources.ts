// The one reader of "a Bundle's entries → their resources": prefetch values, paged searches,
// draft orders, Bundle files and fixtures all go through it.
import type { Bundle, Resource } from '@medplum/fhirtypes';

/**
 * The resources of a Bundle's entries (searchset, collection or transaction), in order. A server's
 * (or client's) Bundle is unknown JSON: null entries, a non-array `entry` and resources without a
 * resourceType are skipped.
 */
export function bundleResources(bundle: Pick<Bundle, 'entry'> | null | undefined): Resource[] {
  const out: Resource[] = [];
  const entries: unknown = bundle?.entry;
  if (!Array.isArray(entries)) return out;
  for (const entry of entries) {
    const resource = (entry as { resource?: unknown } | null)?.resource;
    if (resource && typeof resource === 'object' && typeof (resource as Resource).resourceType === 'string')
      out.push(resource as Resource);
  }
  return out;
}
