// The chart review on the shared Synthea charts (nobody on the team wrote them), dated as current: every
// pattern a pharmacist found on these charts is raised with a cited line, and children get no lines.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Bundle } from '@medplum/fhirtypes';
import { type ChartResult, evaluateChart } from '../../src/evaluation/chart-eval.ts';
import { patternHits } from '../../src/evaluation/chart-eval-report.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { SYNTHEA_DIR } from '../helpers/shared-data.ts';

const EXPECTED: Record<string, string[]> = {
  'digoxin with verapamil': ['Clarine_OKeefe', 'Isaura_Dietrich', 'Parker_Casper'],
  'warfarin with clopidogrel': ['Parker_Casper'],
  'simvastatin above its limit with verapamil': ['Parker_Casper'],
  'naproxen or diphenhydramine at 65 or over': ['Isaura_Dietrich'],
  'naproxen with heart failure': ['Isaura_Dietrich'],
  'diabetes with albuminuria or diabetic kidney disease, no ACE inhibitor or ARB': ['Renea_Quigley'],
  'diabetes at 40–75 with no statin': ['Clarine_OKeefe', 'Danae_Kshlerin', 'Emery_Purdy', 'Renea_Quigley'],
};

describe('chart review on the shared Synthea charts', () => {
  let t: TestApp;
  const results: ChartResult[] = [];
  before(async () => {
    t = await buildTestApp({ CHART_REVIEW_SNOOZE_DAYS: '0' });
    const now = new Date('2026-12-04T12:00:00Z');
    for (const f of (await readdir(SYNTHEA_DIR)).filter((x) => x.endsWith('.json')).sort()) {
      const bundle = JSON.parse(await readFile(join(SYNTHEA_DIR, f), 'utf8')) as Bundle;
      results.push(await evaluateChart(t.runtime.pipeline, f, bundle, now));
    }
  });
  after(() => t.close());

  it('finds every listed pattern on exactly the charts that have it, each line cited', () => {
    const hits = patternHits(results);
    for (const [label, charts] of Object.entries(EXPECTED)) {
      const h = hits.find((x) => x.label === label)!;
      assert.deepEqual(h.charts, charts, label);
      assert.ok(h.cited, `${label}: a line without a citation`);
    }
    for (const r of results) for (const l of r.view.lines) assert.ok(l.citation, `${r.file}: ${l.text}`);
  });

  it('raises no chart-review line for the children and the adult without medicines or diabetes', () => {
    for (const who of ['Junita_Labadie', 'Daisey_Johns', 'Clemente_Kreiger', 'Ali_Harris']) {
      const r = results.find((x) => x.file.startsWith(who))!;
      assert.deepEqual(r.view.lines, [], who);
    }
  });

  it('shows at most one Medication review card and one Care gaps card per chart', () => {
    for (const r of results) {
      assert.ok(r.view.cards.filter((c) => c.kind === 'medication-review').length <= 1);
      assert.ok(r.view.cards.filter((c) => c.kind === 'care-gap').length <= 1);
    }
  });
});
