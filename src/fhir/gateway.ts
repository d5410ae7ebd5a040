// The FhirGateway port: how CiteCare reads from and writes to a FHIR server. The fhir-kit-client
// adapter talks to real servers; the in-memory adapter serves tests and `citecare assess`.
import type { Bundle, Resource } from '@medplum/fhirtypes';

export type FhirErrorKind = 'timeout' | 'network' | 'http' | 'invalid-response';

/** A typed failure from a FHIR server; the edge turns it into 412 or a degraded answer. */
export class FhirGatewayError extends Error {
  constructor(
    message: string,
    public readonly kind: FhirErrorKind,
    public readonly status?: number,
    /** The server's OperationOutcome or body text, for plain error messages (never tokens). */
    public readonly body?: unknown,
  ) {
    super(message);
    this.name = 'FhirGatewayError';
  }
}

export interface FhirGateway {
  /** Reads one resource; null when the server says it does not exist (404/410). */
  read(type: string, id: string): Promise<Resource | null>;
  /** Runs a type search and returns the matching resources, following next links up to the page cap. */
  search(type: string, params: Record<string, string>): Promise<Resource[]>;
  /** Runs a relative query as written in a prefetch template (`Patient/1`, `Observation?patient=1`). */
  query(relativeUrl: string): Promise<Resource | null>;
  /**
   * Follows a searchset Bundle's next links (up to the page cap) and returns every entry resource;
   * `truncated` says a next link was left unfollowed at the cap.
   */
  collect(bundle: Bundle): Promise<{ resources: Resource[]; truncated: boolean }>;
  create<T extends Resource>(resource: T): Promise<T>;
}

/** The resources of a Bundle's entries (searchset, collection or transaction), in order. */
export function bundleResources(bundle: Bundle): Resource[] {
  const out: Resource[] = [];
  // A server's (or client's) Bundle is unknown JSON: null entries and non-array `entry` are skipped.
  const entries: unknown = bundle.entry;
  if (!Array.isArray(entries)) return out;
  for (const entry of entries) {
    const resource = (entry as { resource?: unknown } | null)?.resource;
    if (resource && typeof resource === 'object' && typeof (resource as Resource).resourceType === 'string')
      out.push(resource as Resource);
  }
  return out;
}

/** Splits `Type?a=1&b=2` or `Type/id` into its parts. */
export function parseRelativeUrl(relativeUrl: string): {
  type: string;
  id?: string;
  params: Record<string, string>;
} {
  const [path, query = ''] = relativeUrl.replace(/^\/+/, '').split('?', 2);
  const [type, id] = path.split('/', 2);
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query)) params[k] = params[k] ? `${params[k]},${v}` : v;
  return { type, id: id || undefined, params };
}
