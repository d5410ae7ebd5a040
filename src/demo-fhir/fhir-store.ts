// The demo server's storage and FHIR semantics: Medplum's FhirRouter over its MemoryRepository.
// The HTTP plugin (fhir-server.ts) only translates requests; this module also loads the demo patients.
import { getStatus } from '@medplum/core';
import { FhirRouter, type HttpMethod, MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { shiftBundleDates } from './date-shift.ts';
import { DEMO_PATIENTS, DEMO_PATIENTS_DIR, readDemoBundle } from './demo-patients.ts';
import { indexFhirDefinitions } from './fhir-definitions.ts';

export interface FhirReply {
  status: number;
  body: Resource;
}

/** Medplum refuses larger transactions of updates. */
const MAX_TRANSACTION_ENTRIES = 50;

/** Medplum matches `patient=` only against full references; CDS templates send bare ids. */
const BARE_ID_PARAMS: Record<string, string> = { patient: 'Patient', encounter: 'Encounter' };

function normaliseSearchUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  const out = new URLSearchParams();
  for (const [key, value] of params) {
    const type = BARE_ID_PARAMS[key.split(':')[0] ?? ''];
    const needsType = type && value && !value.includes('/');
    out.append(
      key,
      needsType
        ? value
            .split(',')
            .map((v) => `${type}/${v}`)
            .join(',')
        : value,
    );
  }
  const qs = out.toString();
  return qs ? `${url.slice(0, q)}?${qs}` : url.slice(0, q);
}

export class DemoFhirStore {
  private readonly router = new FhirRouter();
  private readonly repo = new MemoryRepository();

  constructor() {
    indexFhirDefinitions();
  }

  /** Handles one FHIR REST call; `url` is relative to the FHIR base (e.g. `/Patient/1`). */
  async handle(
    method: HttpMethod,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<FhirReply> {
    const [outcome, resource] = await this.router.handleRequest(
      {
        method,
        url: normaliseSearchUrl(url.startsWith('/') ? url : `/${url}`),
        pathname: '',
        body,
        params: {},
        query: {},
        headers,
        config: { transactions: true },
      },
      this.repo,
    );
    return { status: getStatus(outcome), body: resource ?? (outcome as OperationOutcome) };
  }

  /** Loads bundles as transactions; fails loudly when any entry is refused. */
  async loadBundle(bundle: Bundle): Promise<void> {
    const entries = bundle.entry ?? [];
    for (let i = 0; i < entries.length; i += MAX_TRANSACTION_ENTRIES) {
      const chunk: Bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: entries.slice(i, i + MAX_TRANSACTION_ENTRIES),
      };
      const reply = await this.handle('POST', '/', chunk);
      const failed = (reply.body as Bundle).entry?.find((e) => !/^2\d\d/.test(e.response?.status ?? ''));
      if (reply.status >= 300 || failed) {
        throw new Error(
          `demo FHIR load failed: ${JSON.stringify(failed?.response ?? reply.body).slice(0, 300)}`,
        );
      }
    }
  }

  /** Loads the named demo patients, dates shifted so their "now" is `now`. */
  async loadDemoPatients(
    now: Date,
    ids: readonly string[] = DEMO_PATIENTS.map((p) => p.id),
    dir = DEMO_PATIENTS_DIR,
  ): Promise<void> {
    for (const id of ids) {
      const bundle = shiftBundleDates(await readDemoBundle(id, dir), now);
      await this.loadBundle({ ...bundle, type: 'transaction', entry: (bundle.entry ?? []).map(asPut) });
    }
  }
}

/** Collection bundles have no request; PUT every entry so ids stay as written. */
function asPut(entry: NonNullable<Bundle['entry']>[number]): NonNullable<Bundle['entry']>[number] {
  const r = entry.resource;
  if (entry.request || !r?.id) return entry;
  return { ...entry, request: { method: 'PUT', url: `${r.resourceType}/${r.id}` } };
}
