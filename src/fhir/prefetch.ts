// Prefetch resolution: use what the client sent (resources, searchset Bundles, null), fetch
// exactly the keys that are missing or came back as OperationOutcome, and say what could not
// be had. Required keys that cannot be had raise PrefetchUnavailableError (→ HTTP 412).
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { bundleResources, type FhirGateway, FhirGatewayError } from './gateway.ts';
import { isOperationOutcome } from './outcomes.ts';
import { fillTemplate } from './patient-queries.ts';

export class PrefetchUnavailableError extends Error {
  constructor(
    public readonly keys: string[],
    detail: string,
  ) {
    super(detail);
    this.name = 'PrefetchUnavailableError';
  }
}

export interface ResolveOptions {
  templates: Record<string, string>;
  required: readonly string[];
  context: Record<string, unknown>;
  prefetch?: Record<string, unknown>;
  /** Absent when the client gave no fhirServer: missing keys can then not be fetched. */
  gateway?: FhirGateway;
  /** Human labels for notes ("vital signs could not be retrieved"). */
  labels?: Record<string, string>;
}

export interface ResolvedData {
  resources: Resource[];
  byKey: Record<string, Resource[]>;
  fromPrefetch: string[];
  fetched: string[];
  /** Plain notes on data that could not be had; shown on cards and recorded in the audit trail. */
  missing: string[];
}

type KeyOutcome =
  | { key: string; status: 'ok'; source: 'prefetch' | 'fetch'; resources: Resource[]; notes: string[] }
  | { key: string; status: 'unavailable'; reason: string }
  | { key: string; status: 'skipped' };

async function expand(
  value: Resource | null,
  gateway: FhirGateway | undefined,
): Promise<{ resources: Resource[]; notes: string[] }> {
  if (value === null) return { resources: [], notes: [] };
  if (value.resourceType !== 'Bundle') return { resources: [value], notes: [] };
  const bundle = value as Bundle;
  const notes: string[] = [];
  let all: Resource[];
  const hasNext = bundle.link?.some((l) => l.relation === 'next');
  if (hasNext && gateway) {
    all = await gateway.collect(bundle);
  } else {
    all = bundleResources(bundle);
    if (hasNext) notes.push('only the first page was available');
  }
  const resources = all.filter((r) => !isOperationOutcome(r));
  if (resources.length < all.length) notes.push('the server reported a problem with part of the search');
  return { resources, notes };
}

function isRead(template: string): boolean {
  return !template.includes('?');
}

async function resolveKey(key: string, template: string, opts: ResolveOptions): Promise<KeyOutcome> {
  const url = fillTemplate(template, opts.context);
  if (url === null) return { key, status: 'skipped' };
  const given = opts.prefetch && Object.hasOwn(opts.prefetch, key) ? opts.prefetch[key] : undefined;
  if (given === null) return { key, status: 'ok', source: 'prefetch', resources: [], notes: [] };
  if (given !== undefined && !isOperationOutcome(given)) {
    try {
      const { resources, notes } = await expand(given as Resource, opts.gateway);
      return { key, status: 'ok', source: 'prefetch', resources, notes };
    } catch (err) {
      // Paging failed: keep the first page rather than nothing.
      const first = bundleResources(given as Bundle).filter((r) => !isOperationOutcome(r));
      const why = err instanceof FhirGatewayError ? err.message : 'paging failed';
      return {
        key,
        status: 'ok',
        source: 'prefetch',
        resources: first,
        notes: [`only the first page was available (${why})`],
      };
    }
  }
  if (!opts.gateway) {
    return { key, status: 'unavailable', reason: 'not prefetched and no fhirServer to fetch it from' };
  }
  try {
    const value = await opts.gateway.query(url);
    if (value !== null && isOperationOutcome(value)) {
      return { key, status: 'unavailable', reason: 'the FHIR server answered with an OperationOutcome' };
    }
    const { resources, notes } = await expand(value, opts.gateway);
    return { key, status: 'ok', source: 'fetch', resources, notes };
  } catch (err) {
    const reason = err instanceof FhirGatewayError ? err.message : 'the FHIR server could not be reached';
    return { key, status: 'unavailable', reason };
  }
}

export async function resolvePatientData(opts: ResolveOptions): Promise<ResolvedData> {
  const outcomes = await Promise.all(
    Object.entries(opts.templates).map(([key, template]) => resolveKey(key, template, opts)),
  );
  const label = (key: string) => opts.labels?.[key] ?? key;

  const failedRequired: string[] = [];
  const details: string[] = [];
  for (const o of outcomes) {
    if (!opts.required.includes(o.key)) continue;
    if (o.status === 'unavailable') {
      failedRequired.push(o.key);
      details.push(`${label(o.key)} (${o.key}): ${o.reason}`);
    } else if (o.status === 'ok' && o.resources.length === 0 && isRead(opts.templates[o.key])) {
      failedRequired.push(o.key);
      details.push(`${label(o.key)} (${o.key}): not found`);
    } else if (o.status === 'skipped') {
      failedRequired.push(o.key);
      details.push(`${label(o.key)} (${o.key}): the context lacks a value its query needs`);
    }
  }
  if (failedRequired.length > 0) {
    throw new PrefetchUnavailableError(
      failedRequired,
      `Required data could not be obtained: ${details.join('; ')}`,
    );
  }

  const seen = new Set<string>();
  const resources: Resource[] = [];
  const byKey: Record<string, Resource[]> = {};
  const missing: string[] = [];
  const fromPrefetch: string[] = [];
  const fetched: string[] = [];
  for (const o of outcomes) {
    if (o.status === 'skipped') continue;
    if (o.status === 'unavailable') {
      missing.push(`${label(o.key)} could not be retrieved (${o.reason})`);
      continue;
    }
    (o.source === 'prefetch' ? fromPrefetch : fetched).push(o.key);
    for (const n of o.notes) missing.push(`${label(o.key)}: ${n}`);
    byKey[o.key] = o.resources;
    for (const r of o.resources) {
      const id = `${r.resourceType}/${r.id ?? ''}`;
      if (r.id && seen.has(id)) continue;
      if (r.id) seen.add(id);
      resources.push(r);
    }
  }
  return { resources, byKey, fromPrefetch, fetched, missing };
}
