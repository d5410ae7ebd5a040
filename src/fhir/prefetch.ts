// Prefetch resolution: use what the client sent (resources, searchset Bundles, null), fetch
// exactly the keys that are missing or came back as OperationOutcome, and say what could not
// be had. Required keys that cannot be had raise PrefetchUnavailableError (→ HTTP 412).
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { bundleResources } from './bundle-resources.ts';
import { type FhirGateway, FhirGatewayError } from './gateway.ts';
import { isOperationOutcome } from './outcomes.ts';
import { fillTemplate } from './patient-queries.ts';
import { malformedField } from './resource-shape.ts';

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

/** A searchset whose OperationOutcome entries report an error: the search did not fully run. */
class FailedSearchError extends Error {}

function hasErrorOutcome(resources: Resource[]): boolean {
  return resources.some(
    (r) =>
      isOperationOutcome(r) && (r.issue ?? []).some((i) => i.severity === 'error' || i.severity === 'fatal'),
  );
}

/** The patient a resource is about, as `Patient/id`, when it names one (subject or patient). */
export function patientOf(r: Resource): string | undefined {
  if (r.resourceType === 'Patient') return `Patient/${r.id ?? ''}`;
  const x = r as { subject?: { reference?: string }; patient?: { reference?: string } };
  const ref = x.subject?.reference ?? x.patient?.reference;
  if (!ref) return undefined;
  const m = /(?:^|\/)(Patient\/[^/]+?)(?:\/_history\/.*)?$/.exec(ref);
  return m ? m[1] : ref;
}

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
    const collected = await gateway.collect(bundle);
    all = collected.resources;
    if (collected.truncated)
      notes.push('only the first pages were read (page limit reached); older data was not checked');
  } else {
    all = bundleResources(bundle);
    if (hasNext) notes.push('only the first page was available');
  }
  if (hasErrorOutcome(all)) throw new FailedSearchError('the FHIR server reported an error for this search');
  const resources = all.filter((r) => !isOperationOutcome(r));
  if (resources.length < all.length) notes.push('the server reported a warning for this search');
  return { resources, notes };
}

function isRead(template: string): boolean {
  return !template.includes('?');
}

async function fetchKey(key: string, url: string, gateway: FhirGateway | undefined): Promise<KeyOutcome> {
  if (!gateway) {
    return { key, status: 'unavailable', reason: 'not prefetched and no fhirServer to fetch it from' };
  }
  try {
    const value = await gateway.query(url);
    if (value !== null && isOperationOutcome(value)) {
      return { key, status: 'unavailable', reason: 'the FHIR server answered with an OperationOutcome' };
    }
    const { resources, notes } = await expand(value, gateway);
    return { key, status: 'ok', source: 'fetch', resources, notes };
  } catch (err) {
    const reason =
      err instanceof FhirGatewayError || err instanceof FailedSearchError
        ? err.message
        : 'the FHIR server could not be reached';
    return { key, status: 'unavailable', reason };
  }
}

async function resolveKey(key: string, template: string, opts: ResolveOptions): Promise<KeyOutcome> {
  const url = fillTemplate(template, opts.context);
  if (url === null) return { key, status: 'skipped' };
  const given = opts.prefetch && Object.hasOwn(opts.prefetch, key) ? opts.prefetch[key] : undefined;
  if (given === null) return { key, status: 'ok', source: 'prefetch', resources: [], notes: [] };
  if (given === undefined || isOperationOutcome(given)) return fetchKey(key, url, opts.gateway);
  try {
    const { resources, notes } = await expand(given as Resource, opts.gateway);
    return { key, status: 'ok', source: 'prefetch', resources, notes };
  } catch (err) {
    // The client's own search failed: fetch it ourselves.
    if (err instanceof FailedSearchError) return fetchKey(key, url, opts.gateway);
    // Paging failed: keep the first page rather than nothing, and say so.
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

/** Skips resources whose fields have impossible JSON types; they would break the snapshot. */
function onlyWellFormed(outcome: KeyOutcome): KeyOutcome {
  if (outcome.status !== 'ok') return outcome;
  const kept = outcome.resources.filter((r) => malformedField(r) === undefined);
  const dropped = outcome.resources.length - kept.length;
  if (dropped === 0) return outcome;
  return {
    ...outcome,
    resources: kept,
    notes: [...outcome.notes, `${dropped} malformed resource(s) were ignored`],
  };
}

/**
 * Keeps only what is about this patient: a searchset or prefetch slot holding another patient's
 * data must never become a card for this one.
 */
function onlyThisPatient(outcome: KeyOutcome, patientRef: string): KeyOutcome {
  if (outcome.status !== 'ok') return outcome;
  const kept = outcome.resources.filter((r) => {
    const about = patientOf(r);
    return about === undefined ? r.resourceType !== 'Patient' : about === patientRef;
  });
  const dropped = outcome.resources.length - kept.length;
  if (dropped === 0) return outcome;
  return {
    ...outcome,
    resources: kept,
    notes: [...outcome.notes, `${dropped} resource(s) about another patient were ignored`],
  };
}

export async function resolvePatientData(opts: ResolveOptions): Promise<ResolvedData> {
  const patientRef = `Patient/${String(opts.context.patientId ?? '')}`;
  const outcomes = await Promise.all(
    Object.entries(opts.templates).map(async ([key, template]) =>
      onlyThisPatient(onlyWellFormed(await resolveKey(key, template, opts)), patientRef),
    ),
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
