// `npm run eval:charts`: patient-view and order-select over every chart in ../shared/fhir, dated as
// current; writes reports/charts-latest.md. Deterministic (no model), in-memory audit trail.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { Bundle } from '@medplum/fhirtypes';
import { openAuditStore } from '../src/audit/open-audit-store.ts';
import { testConfig } from '../src/config.ts';
import { type ChartResult, evaluateChart } from '../src/evaluation/chart-eval.ts';
import { patternHits, renderChartReport } from '../src/evaluation/chart-eval-report.ts';
import { createRuntime } from '../src/server/runtime.ts';
import { SHARED_FHIR_DIR } from '../tests/helpers/shared-data.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'reports' } } });

async function chartFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory()
        ? chartFiles(join(dir, e.name))
        : Promise.resolve(e.name.endsWith('.json') ? [join(dir, e.name)] : []),
    ),
  );
  return nested.flat().sort();
}

const config = testConfig({ LLM_PROVIDER: 'none', CHART_REVIEW_SNOOZE_DAYS: '0' });
const runtime = await createRuntime(config, {
  cdsClients: [],
  audit: await openAuditStore('sqlite::memory:'),
});
try {
  const now = new Date();
  const results: ChartResult[] = [];
  for (const file of await chartFiles(SHARED_FHIR_DIR)) {
    const bundle = JSON.parse(await readFile(file, 'utf8')) as Bundle;
    results.push(
      await evaluateChart(runtime.pipeline, relative(join(SHARED_FHIR_DIR, '..'), file), bundle, now),
    );
  }
  await mkdir(values.out, { recursive: true });
  const out = join(values.out, 'charts-latest.md');
  await writeFile(
    out,
    renderChartReport(results, {
      generatedAt: now.toISOString(),
      drugTableVersion: runtime.drugTable.version,
    }),
  );
  for (const h of patternHits(results))
    process.stdout.write(
      `${h.label}: ${h.charts.length ? `${h.charts.join(', ')}${h.cited ? '' : ' (UNCITED line)'}` : 'none'}\n`,
    );
  process.stdout.write(`wrote ${out}\n`);
} finally {
  await runtime.close();
}
