// The setup the hook benchmark and its CPU profile share: the largest Synthea chart, a runtime on a
// SQLite audit file with a fixed clock one hour after the newest observation (so the latest vitals
// count as current), and the patient-view request body the service's own prefetch templates produce.
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Observation } from '@medplum/fhirtypes';
import { patientView } from '../../cds-hooks/patient-view.ts';
import { fixedClock } from '../../src/clinical/clock.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { readBundleFile } from '../../src/fhir/bundle-file.ts';
import { createMemoryGateway } from '../../src/fhir/memory-gateway.ts';
import { fillPrefetch } from '../../src/fhir/patient-queries.ts';
import { createRuntime, type Runtime } from '../../src/server/runtime.ts';
import { getTestCdsClient } from '../../tests/helpers/cds-tokens.ts';
import { SYNTHEA_DIR } from '../../tests/helpers/shared-data.ts';

export function largestSynthea(): string {
  const files = readdirSync(SYNTHEA_DIR).filter((f) => f.endsWith('.json'));
  files.sort((a, b) => statSync(join(SYNTHEA_DIR, b)).size - statSync(join(SYNTHEA_DIR, a)).size);
  return join(SYNTHEA_DIR, files[0]!);
}

export interface HookSetup {
  config: Config;
  runtime: Runtime;
  /** The fixed "now" (ms) the runtime's clock and the tokens use. */
  now: number;
  /** The temporary folder holding the audit file; the caller removes it. */
  dir: string;
  /** The patient-view request body (JSON text) with a full prefetch. */
  body: string;
  /** Resources in the chart, for a caller that reports on them. */
  resourceCount: number;
}

export async function hookSetup(file: string, env: Record<string, string> = {}): Promise<HookSetup> {
  const { resources } = await readBundleFile(file);
  const patient = resources.find((r) => r.resourceType === 'Patient')!;
  const newest = resources
    .filter((r): r is Observation => r.resourceType === 'Observation')
    .map((o) => Date.parse(o.effectiveDateTime ?? ''))
    .filter(Number.isFinite)
    .reduce((a, b) => Math.max(a, b), 0);
  const now = newest + 3_600_000;
  const dir = mkdtempSync(join(tmpdir(), 'citecare-bench-'));
  const config = loadConfig({
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    PUBLIC_BASE_URL: 'http://cds.bench.citecare.example',
    LLM_PROVIDER: 'none',
    DEMO_FHIR: 'off',
    AUDIT_DATABASE_URL: `sqlite:${join(dir, 'audit.db')}`,
    BODY_LIMIT_BYTES: String(20 * 1024 * 1024),
    ...env,
  });
  const runtime = await createRuntime(config, {
    cdsClients: [(await getTestCdsClient()).client],
    clock: fixedClock(new Date(now).toISOString()),
  });
  const gateway = createMemoryGateway(resources);
  const userId = 'Practitioner/bench';
  const prefetch = await fillPrefetch(
    patientView.descriptor.prefetch,
    { patientId: patient.id!, userId },
    (rel) => gateway.query(rel),
  );
  const body = JSON.stringify({
    hook: 'patient-view',
    hookInstance: crypto.randomUUID(),
    context: { userId, patientId: patient.id },
    prefetch,
  });
  return { config, runtime, now, dir, body, resourceCount: resources.length };
}
