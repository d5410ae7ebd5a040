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
  /**
   * Conditional create (POST with If-None-Exist): when a resource matching `condition` (a search such
   * as `identifier=system|value`) exists, the server returns it instead of storing a second one, so a
   * retry after a lost answer stores nothing twice. `id` comes from the answer's body or, failing
   * that, its Location header; `resource` is the body when it is a resource of the type sent.
   */
  createIfNoneExist<T extends Resource>(resource: T, condition: string): Promise<CreatedResource<T>>;
}

export interface CreatedResource<T extends Resource> {
  id?: string;
  resource?: T;
}

/** Credentials for one FHIR server: the user's or the EHR's access token (none for an open server). */
export interface FhirAuth {
  accessToken?: string;
}

export interface FhirCallOptions {
  /** Per-call timeout (default: FHIR_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Most search pages followed (default: FHIR_MAX_PAGES). */
  maxPages?: number;
  /** Epoch ms after which no call starts and running calls are aborted (a request's deadline). */
  deadline?: number;
}

/** How routes reach a FHIR server: the wiring module chooses the adapter; tests swap it. */
export type FhirGatewayFactory = (baseUrl: string, auth: FhirAuth, options?: FhirCallOptions) => FhirGateway;

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
