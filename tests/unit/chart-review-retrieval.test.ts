// A chart-review line without a passage says why: none in the corpus, or retrieval that failed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import { fixedClock } from '../../src/clinical/clock.ts';
import { readBundleFile } from '../../src/fhir/bundle-file.ts';
import type { GuidelineIndex } from '../../src/guidelines/types.ts';
import { loadDrugTable } from '../../src/knowledge/drug-table-file.ts';
import { noAdvisor } from '../../src/llm/types.ts';
import { createPipeline } from '../../src/pipeline/run.ts';
import { AT, CASES } from '../fixtures/chart-review/cases.ts';
import { readManifest, VIGNETTE_DIR } from '../fixtures/vignettes/manifest.ts';

const table = await loadDrugTable();
const audit = await openAuditStore('sqlite::memory:');
after(() => audit.close());

const failing: GuidelineIndex = {
  corpusVersion: 'unavailable',
  size: 0,
  search: async () => {
    throw new Error('index unavailable');
  },
  get: () => {
    throw new Error('index unavailable');
  },
};

/** The real pipeline, deterministic mode, with a guideline index that always fails. */
function pipelineWithoutRetrieval(extra: Pick<Parameters<typeof createPipeline>[0], 'chartReview'>) {
  return createPipeline({
    config: { PUBLIC_BASE_URL: 'https://citecare.test', HOOK_BUDGET_MS: 500, SILENT_SERVICES: [] },
    clock: fixedClock(AT.toISOString()),
    guidelines: failing,
    advisor: noAdvisor,
    audit,
    ...extra,
  });
}

describe('chart review when guideline retrieval fails', () => {
  it('says retrieval was unavailable on each uncited line, and names the missing passages', async () => {
    const pipeline = pipelineWithoutRetrieval({ chartReview: { table, snoozeDays: 0 } });
    const digoxin = CASES.find((c) => c.name === 'digoxin with verapamil');
    assert.ok(digoxin);
    const result = await pipeline({
      channel: 'cds-hooks',
      service: 'citecare-patient-view',
      hook: 'patient-view',
      hookInstance: 'retrieval-down-1',
      patientId: 'p1',
      resources: digoxin.resources,
      at: AT,
      adviceKind: 'summary',
      show: { findings: true, triage: false, summary: true },
      reviewScope: 'chart',
    });
    const cards = result.cards as Array<{ detail: string; extension?: Record<string, string> }>;
    const review = cards.find((c) => c.extension?.['org.citecare.finding'] === 'medication-review');
    assert.ok(review, 'a medication review card is still shown, from the rules alone');
    assert.match(review.detail, /guideline retrieval was unavailable/);
    assert.doesNotMatch(review.detail, /corpus covers this line/);
    assert.match(review.detail, /Data not available: guideline passages could not be retrieved/);
    assert.ok(result.audit.errors.some((e) => e.startsWith('retrieval failed')));
  });

  it('an uncited finding card says retrieval was unavailable, not that no passage exists', async () => {
    const pipeline = pipelineWithoutRetrieval({});
    const v = readManifest().find((m) => m.file === 'afib-no-anticoagulant.json');
    assert.ok(v);
    const { resources } = await readBundleFile(join(VIGNETTE_DIR, v.file));
    const patient = resources.find((r) => r.resourceType === 'Patient');
    const result = await pipeline({
      channel: 'cds-hooks',
      service: 'citecare-patient-view',
      hook: 'patient-view',
      hookInstance: 'retrieval-down-2',
      patientId: patient?.id ?? 'p1',
      resources,
      at: new Date(v.at),
      adviceKind: 'summary',
      show: { findings: true, triage: false, summary: false },
    });
    const cards = result.cards as Array<{ detail: string; extension?: Record<string, string> }>;
    const afib = cards.find((c) => c.extension?.['org.citecare.finding'] === 'afib-anticoagulation');
    assert.ok(afib, 'the finding card is still shown, from the rules alone');
    assert.match(afib.detail, /guideline retrieval was unavailable/);
    assert.doesNotMatch(afib.detail, /corpus covers this rule/);
  });
});
