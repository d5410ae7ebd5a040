// An in-memory FhirGateway over a list of resources: for tests and `citecare assess`.
// Search understands the parameters CiteCare's own queries use (patient/subject, category,
// status, clinical-status, and _sort=-date with _count); other parameters are ignored, as a lenient
// server would.
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { bundleResources, type FhirGateway, parseRelativeUrl } from './gateway.ts';

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

function matches(r: AnyResource, params: Record<string, string>): boolean {
  for (const [name, raw] of Object.entries(params)) {
    if (name.startsWith('_')) continue;
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

export function createMemoryGateway(resources: Resource[]): FhirGateway & { created: Resource[] } {
  const all = resources as AnyResource[];
  const created: Resource[] = [];
  const gateway = {
    created,
    async read(type: string, id: string) {
      return all.find((r) => r.resourceType === type && r.id === id) ?? null;
    },
    async search(type: string, params: Record<string, string>) {
      const found = all.filter((r) => r.resourceType === type && matches(r, params));
      // `_sort=-date` and `_count` as CiteCare's own queries use them (newest first, capped).
      if (params._sort === '-date') found.sort((a, b) => dateOf(b).localeCompare(dateOf(a)));
      const count = Number(params._count);
      return Number.isInteger(count) && count > 0 ? found.slice(0, count) : found;
    },
    async query(relativeUrl: string) {
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
    async collect(bundle: Bundle) {
      return { resources: bundleResources(bundle), truncated: false };
    },
    async create<T extends Resource>(resource: T) {
      const stored = { ...resource, id: resource.id ?? crypto.randomUUID() };
      all.push(stored as AnyResource);
      created.push(stored);
      return stored;
    },
  };
  return gateway;
}
