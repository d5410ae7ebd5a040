// An in-memory FhirGateway over a list of resources: for tests and `citecare assess`.
// Search understands the parameters CiteCare's own queries use (patient/subject, category,
// status, clinical-status, identifier, and _sort=-date with _count); other parameters are ignored,
// as a lenient server would.
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { bundleResources } from './bundle-resources.ts';
import { type CreatedResource, type FhirGateway, FhirGatewayError, parseRelativeUrl } from './gateway.ts';
import { operationOutcome } from './outcomes.ts';

type AnyResource = Resource & Record<string, unknown>;

function refOf(x: unknown): string | undefined {
  return typeof x === 'object' && x !== null
    ? ((x as { reference?: string }).reference ?? undefined)
    : undefined;
}

function codesOf(x: unknown): string[] {
  const list = Array.isArray(x) ? x : x ? [x] : [];
  return list.flatMap((cc) =>
    ((cc as { coding?: Array<{ code?: string }> }).coding ?? []).map((c) => c.code ?? ''),
  );
}

function dateOf(r: AnyResource): string {
  const period = r.effectivePeriod as { start?: string } | undefined;
  return String(r.effectiveDateTime ?? period?.start ?? r.date ?? r.authoredOn ?? r.recordedDate ?? '');
}

/** `identifier=system|value` (or a bare value): any of the resource's identifiers matches. */
function hasIdentifier(r: AnyResource, raw: string): boolean {
  const ids = Array.isArray(r.identifier) ? (r.identifier as Array<{ system?: string; value?: string }>) : [];
  return raw.split(',').some((w) => {
    const [system, value] = w.includes('|') ? w.split('|', 2) : [undefined, w];
    return ids.some((i) => i.value === value && (!system || i.system === system));
  });
}

function matches(r: AnyResource, params: Record<string, string>): boolean {
  for (const [name, raw] of Object.entries(params)) {
    if (name.startsWith('_')) continue;
    if (name === 'identifier') {
      if (!hasIdentifier(r, raw)) return false;
      continue;
    }
    const wanted = raw.split(',').map((v) => v.split('|').pop() ?? v);
    switch (name) {
      case 'patient':
      case 'subject': {
        const ref = refOf(r.subject) ?? refOf(r.patient);
        const ids = wanted.map((w) => (w.includes('/') ? w : `Patient/${w}`));
        if (r.resourceType === 'Patient' ? !ids.includes(`Patient/${r.id}`) : !ref || !ids.includes(ref))
          return false;
        break;
      }
      case 'category':
        if (!codesOf(r.category).some((c) => wanted.includes(c))) return false;
        break;
      case 'clinical-status':
        if (!codesOf(r.clinicalStatus).some((c) => wanted.includes(c))) return false;
        break;
      case 'status':
        if (!wanted.includes(String(r.status))) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

export interface MemoryFhirGateway extends FhirGateway {
  /** Every resource held, including those created through the gateway. */
  resources: Resource[];
  /** Resources created through the gateway, in order. */
  created: Resource[];
}

export function createMemoryGateway(resources: readonly Resource[]): MemoryFhirGateway {
  const all = [...resources] as AnyResource[];
  const created: Resource[] = [];
  const gateway: MemoryFhirGateway = {
    resources: all,
    created,
    async read(type, id) {
      return all.find((r) => r.resourceType === type && r.id === id) ?? null;
    },
    async search(type, params) {
      const found = all.filter((r) => r.resourceType === type && matches(r, params));
      // `_sort=-date` and `_count` as CiteCare's own queries use them (newest first, capped).
      if (params._sort === '-date') found.sort((a, b) => dateOf(b).localeCompare(dateOf(a)));
      const count = Number(params._count);
      return Number.isInteger(count) && count > 0 ? found.slice(0, count) : found;
    },
    async query(relativeUrl) {
      const { type, id, params } = parseRelativeUrl(relativeUrl);
      if (id && Object.keys(params).length === 0) return gateway.read(type, id);
      const found = await gateway.search(type, params);
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type: 'searchset',
        total: found.length,
        entry: found.map((resource) => ({ resource })),
      };
      return bundle;
    },
    async collect(bundle) {
      return { resources: bundleResources(bundle), truncated: false };
    },
    async createIfNoneExist<T extends Resource>(resource: T, condition: string): Promise<CreatedResource<T>> {
      const params = Object.fromEntries(new URLSearchParams(condition));
      const existing = await gateway.search(resource.resourceType, params);
      if (existing.length > 1) {
        const outcome = operationOutcome(
          'error',
          'multiple-matches',
          'Multiple resources found matching condition',
        );
        throw new FhirGatewayError(`create ${resource.resourceType}: HTTP 412`, 'http', 412, outcome);
      }
      if (existing.length === 1) return { id: existing[0].id, resource: existing[0] as T };
      // As a server does: the id and version are the store's, whatever the client sent.
      const stored = {
        ...resource,
        id: crypto.randomUUID(),
        meta: { ...resource.meta, versionId: '1', lastUpdated: new Date().toISOString() },
      };
      all.push(stored as AnyResource);
      created.push(stored);
      return { id: stored.id, resource: stored };
    },
  };
  return gateway;
}
