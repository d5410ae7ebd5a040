// `citecare demo [--base URL] [--fhir URL] [--patient ID]... [--hook HOOK]...`: acts as an EHR
// against a running CiteCare. For each demo patient and each discovered service it fills the
// prefetch from the demo FHIR server, signs a CDS client JWT (aud = the exact service URL) with the
// locally generated demo client key, calls the service and prints the cards.

import { parseArgs } from 'node:util';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { DEMO_PATIENTS, type DemoPatient } from '../demo-fhir/demo-patients.ts';
import { bundleResources } from '../fhir/bundle-resources.ts';
import { fillPrefetch } from '../fhir/patient-queries.ts';
import { type DemoClient, loadOrCreateDemoClient } from '../server/demo-client.ts';
import { cardsResponseSchema, formatCard } from './card-text.ts';
import {
  callService,
  type DiscoveredService,
  fetchDiscovery,
  fhirGet,
  hookContext,
  ServiceRefusedError,
  ServiceUnreachableError,
  type TokenSource,
} from './cds-client.ts';
import { type CliIo, UsageError } from './io.ts';

export interface DemoCliDeps {
  /** The CDS client key to sign with (default: the one in ./data, which `npm start` trusts). */
  client?: DemoClient;
}

const DEMO_USER = 'Practitioner/demo-clinician';

const searchEntries = (r: Resource | null): Resource[] =>
  r?.resourceType === 'Bundle' ? bundleResources(r as Bundle) : [];

interface DemoArgs {
  base?: string;
  fhir?: string;
  patient?: string[];
  hook?: string[];
}

function parseDemoArgs(args: string[]): DemoArgs {
  try {
    return parseArgs({
      args,
      options: {
        base: { type: 'string' },
        fhir: { type: 'string' },
        patient: { type: 'string', multiple: true },
        hook: { type: 'string', multiple: true },
      },
    }).values;
  } catch (err) {
    throw new UsageError(
      `${(err as Error).message}\nUsage: citecare demo [--base URL] [--fhir URL] [--patient ID] [--hook HOOK]`,
    );
  }
}

/** Where the demo calls: the CDS service, the FHIR server, how it signs, where it prints. */
interface DemoTarget {
  base: string;
  fhirBase: string;
  token: TokenSource;
  out: (line: string) => void;
}

/** Calls every service for one demo patient and prints the cards; returns how many calls failed. */
async function demoPatient(
  p: DemoPatient,
  services: readonly DiscoveredService[],
  { base, fhirBase, token, out }: DemoTarget,
): Promise<number> {
  let failures = 0;
  out(`━━ ${p.id}${p.shows ? ` — ${p.shows}` : ''}`);
  const encounters = searchEntries(
    await fhirGet(fhirBase, `Encounter?patient=${encodeURIComponent(p.id)}&_count=1`),
  );
  const drafts = searchEntries(
    await fhirGet(fhirBase, `MedicationRequest?patient=${encodeURIComponent(p.id)}&status=draft`),
  );
  for (const service of services) {
    const skip = skipReason(service, encounters.length > 0, drafts.length > 0);
    if (skip) {
      out(`  ${service.hook}: skipped (${skip})`);
      continue;
    }
    const context = hookContext(service.hook, {
      userId: DEMO_USER,
      patientId: p.id,
      encounterId: encounters[0]?.id,
      draftOrders: drafts,
    });
    const prefetch = await fillPrefetch(service.prefetch ?? {}, context, (rel) => fhirGet(fhirBase, rel));
    const res = await callService(base, { service, context, prefetch, fhirServer: fhirBase }, token);
    const parsed = cardsResponseSchema.safeParse(res.body);
    if (res.status !== 200 || !parsed.success) {
      failures++;
      out(`  ${service.hook} (${service.id}): HTTP ${res.status} ${explain(res.status, res.body)}`);
      continue;
    }
    const cards = parsed.data.cards;
    out(
      `  ${service.hook} (${service.id}): ${cards.length} card${cards.length === 1 ? '' : 's'} in ${res.ms} ms`,
    );
    for (const card of cards) out(formatCard(card));
  }
  out('');
  return failures;
}

export async function runDemoCli(args: string[], io: CliIo, deps: DemoCliDeps = {}): Promise<number> {
  const values = parseDemoArgs(args);
  const base = (values.base ?? io.config.PUBLIC_BASE_URL).replace(/\/+$/, '');
  const fhirBase = (values.fhir ?? `${base}/fhir`).replace(/\/+$/, '');
  const out = (s: string) => io.stdout.write(`${s}\n`);

  const patients = values.patient?.length
    ? values.patient.map((id) => DEMO_PATIENTS.find((p) => p.id === id) ?? { id, shows: '' })
    : DEMO_PATIENTS;

  const client = deps.client ?? (await loadOrCreateDemoClient('data'));
  const token: TokenSource = (aud) => client.sign(aud);

  try {
    const services = (await fetchDiscovery(base, token)).filter(
      (s) => !values.hook?.length || values.hook.includes(s.hook),
    );
    out(`CiteCare at ${base}: ${services.length} services (${services.map((s) => s.id).join(', ')})`);
    out(`Demo FHIR server: ${fhirBase}\n`);
    let failures = 0;
    for (const p of patients) failures += await demoPatient(p, services, { base, fhirBase, token, out });
    if (failures) io.stderr.write(`${failures} call(s) failed.\n`);
    return failures ? 1 : 0;
  } catch (err) {
    if (err instanceof ServiceUnreachableError) {
      io.stderr.write(
        `CiteCare is not reachable at ${err.url}.\nStart it with \`npm start\` (it serves the demo FHIR server at /fhir), or pass --base URL.\n`,
      );
      return 1;
    }
    if (err instanceof ServiceRefusedError) {
      io.stderr.write(`${err.message} ${explain(err.status, undefined)}\n`);
      return 1;
    }
    throw err;
  }
}

function skipReason(
  service: DiscoveredService,
  hasEncounter: boolean,
  hasDrafts: boolean,
): string | undefined {
  if (service.hook === 'encounter-start' && !hasEncounter) return 'no encounter on file';
  if ((service.hook === 'order-select' || service.hook === 'order-sign') && !hasDrafts)
    return 'no draft orders on file';
  return undefined;
}

function explain(status: number, body: unknown): string {
  if (status === 401)
    return '(the service did not accept the demo client: is it running with DEMO_FHIR=on outside production?)';
  const diag = (body as { issue?: Array<{ diagnostics?: string }> })?.issue?.[0]?.diagnostics;
  return diag ? `(${diag})` : '';
}
