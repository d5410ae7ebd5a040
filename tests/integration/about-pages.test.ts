import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { CDS_SERVICES } from '../../cds-hooks/index.ts';
import type { AboutPage } from '../../src/about/about-page.ts';
import { aboutPlugin } from '../../src/about/about-plugin.ts';
import { testConfig } from '../../src/config.ts';
import type { EvalReport, EvalSummary } from '../../src/evaluation/report-schema.ts';

const rate = (count: number, of: number) => ({ count, of, rate: count / of });
const agreement = (count: number, of: number) => ({ ...rate(count, of), disagreements: [] });
const SUMMARY: EvalSummary = {
  generatedAt: '2026-11-20T10:00:00.000Z',
  set: 'main',
  mode: 'deterministic',
  corpusVersion: 'abc123def4567890abc123def4567890',
  vignettes: 35,
  triage: {
    exact: rate(17, 35),
    withinOne: rate(29, 35),
    underTriage: rate(3, 35),
    overTriage: rate(15, 35),
    highAcuitySensitivity: rate(19, 20),
    failed: 0,
    confusion: [[1]],
    underTriagedCases: ['v08'],
    overTriagedCases: [],
  },
  controls: { n: 10, reachedHigh: rate(1, 10), reachedHighCases: ['v30'] },
  news2: agreement(33, 35),
  qsofa: agreement(34, 35),
  news2Variants: agreement(9, 10),
  qsofaVariants: agreement(10, 10),
  unrecognisedCodes: { ...rate(0, 1), missing: [{ id: 'v40', code: '8478-0' }] },
  citations: { ...rate(88, 88), invalid: [] },
  statements: { kept: 0, dropped: 0, reasons: {} },
  phi: { scannedRequests: 0, findings: 0, note: 'no model used' },
};
const HOLDOUT_WORST: EvalSummary = {
  ...SUMMARY,
  set: 'holdout',
  mode: 'worst-case-model',
  model: 'scripted-worst-case',
  vignettes: 60,
  triage: { ...SUMMARY.triage, underTriage: rate(8, 60), underTriagedCases: ['h07', 'h19'] },
};
const REPORT: EvalReport = {
  generatedAt: '2026-11-20T10:00:00.000Z',
  corpusVersion: 'abc123def4567890abc123def4567890',
  runs: [SUMMARY, HOLDOUT_WORST],
  targets: [
    { run: 'main · deterministic', target: 'under-triage ≤ 0', met: false, value: '8.6 % (3/35)' },
    { run: 'holdout · worst-case model', target: 'under-triage ≤ 0', met: false, value: '13.3 % (8/60)' },
    { run: 'main · deterministic', target: 'NEWS2 agreement = 100 %', met: true, value: '100 %' },
  ],
};

const services = CDS_SERVICES.map((s) => s.descriptor);

async function build(reportPath: string, llm: 'none' | 'openai' = 'none'): Promise<FastifyInstance> {
  const app = Fastify();
  const config = testConfig(llm === 'openai' ? { OPENAI_API_KEY: 'sk-test', LLM_MODEL: 'test-model-1' } : {});
  await app.register(aboutPlugin, {
    services: CDS_SERVICES,
    reportPath,
    runtime: {
      config,
      guidelines: { corpusVersion: 'f00dcafe'.repeat(8), size: 123 },
      advisor:
        llm === 'openai'
          ? { enabled: true, describe: () => 'test-model-1, prompt summary@2' }
          : { enabled: false, describe: () => 'no model used (deterministic mode)' },
    },
  });
  return app;
}

describe('about pages', () => {
  let dir: string;
  let reportPath: string;
  let app: FastifyInstance;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'citecare-about-'));
    reportPath = join(dir, 'eval-latest.json');
    writeFileSync(reportPath, JSON.stringify(REPORT));
    app = await build(reportPath);
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a page for every CDS service with every source attribute', async () => {
    for (const s of services) {
      const res = await app.inject({ method: 'GET', url: `/about/${s.id}` });
      assert.equal(res.statusCode, 200, s.id);
      assert.match(String(res.headers['content-type']), /text\/html/);
      const html = res.body;
      for (const heading of [
        'Intended use',
        'Intended users',
        'Inputs used',
        'Logic and model',
        'Guideline corpus version',
        'Cautioned uses',
        'Known limitations',
        'Latest evaluation',
        'Maintenance and updates',
        'Funding of the technical implementation',
      ]) {
        assert.ok(html.includes(heading), `${s.id}: ${heading}`);
      }
      assert.ok(html.includes('f00dcafe'), 'shows the live corpus version');
    }
  });

  it('says which demographic inputs are used: age and sex yes, race and ethnicity no', async () => {
    const res = await app.inject({ method: 'GET', url: '/about/citecare-patient-view?format=json' });
    const page = res.json<AboutPage>();
    const used = Object.fromEntries(page.inputs.variables.map((v) => [v.variable, v.used]));
    assert.equal(used.Race, false);
    assert.equal(used.Ethnicity, false);
    assert.equal(used.Sex, true);
    assert.equal(used['Date of birth (age)'], true);
    assert.equal(used['Social determinants of health'], false);
    assert.deepEqual(
      page.inputs.fhirData.map((d) => d.key).sort(),
      Object.keys(services[0]!.prefetch).sort(),
    );
  });

  it('shows the evaluation figures from the report file, and picks up a new report without restart', async () => {
    let html = (await app.inject({ method: 'GET', url: '/about/citecare-encounter-start' })).body;
    assert.ok(html.includes('48.6 % (17/35)'), 'exact match');
    assert.ok(html.includes('95.0 % (19/20)'), 'high-acuity sensitivity');
    assert.ok(html.includes('8.6 % (3/35)'), 'under-triage');
    writeFileSync(
      reportPath,
      JSON.stringify({
        ...REPORT,
        runs: [{ ...SUMMARY, triage: { ...SUMMARY.triage, exact: rate(20, 35) } }],
      }),
    );
    html = (await app.inject({ method: 'GET', url: '/about/citecare-encounter-start' })).body;
    assert.ok(html.includes('57.1 % (20/35)'));
    const json = (
      await app.inject({ method: 'GET', url: '/about/citecare-encounter-start?format=json' })
    ).json<AboutPage>();
    assert.equal(json.evaluation.available && json.evaluation.report.runs[0]!.triage.exact.count, 20);
    writeFileSync(reportPath, JSON.stringify(REPORT));
  });

  it('shows every set and mode side by side, the missed targets and the under-triaged cases', async () => {
    const html = (await app.inject({ method: 'GET', url: '/about/citecare-encounter-start' })).body;
    assert.ok(html.includes('<th scope="col">main · deterministic</th>'));
    assert.ok(html.includes('<th scope="col">holdout · worst-case model</th>'));
    assert.ok(html.includes('13.3 % (8/60)'), 'holdout under-triage in the worst case');
    assert.ok(html.includes('10.0 % (1/10)'), 'controls shown as level 1–2');
    assert.ok(html.includes('90.0 % (9/10)'), 'NEWS2 agreement on code variants');
    assert.match(html, /2 of 3 evaluation targets are missed/);
    assert.match(html, /holdout · worst-case model: h07, h19/);
    writeFileSync(
      reportPath,
      JSON.stringify({
        ...REPORT,
        runs: [
          { ...SUMMARY, triage: { ...SUMMARY.triage, underTriage: rate(0, 35), underTriagedCases: [] } },
        ],
        targets: REPORT.targets.map((t) => ({ ...t, met: true })),
      }),
    );
    const after = (await app.inject({ method: 'GET', url: '/about/citecare-encounter-start' })).body;
    assert.match(after, /All 3 evaluation targets are met/);
    assert.match(after, /No case was under-triaged/);
    writeFileSync(reportPath, JSON.stringify(REPORT));
  });

  it('rejects a report in the old single-run format rather than showing it half-read', async () => {
    writeFileSync(reportPath, JSON.stringify(SUMMARY));
    const html = (await app.inject({ method: 'GET', url: '/about/citecare-encounter-start' })).body;
    assert.match(html, /not in the expected format/);
    writeFileSync(reportPath, JSON.stringify(REPORT));
  });

  it('says plainly when there is no report', async () => {
    const other = await build(join(dir, 'missing.json'));
    const html = (await other.inject({ method: 'GET', url: '/about/citecare-order-sign' })).body;
    assert.match(html, /No evaluation report at .*npm run eval/);
    await other.close();
  });

  it('warns when the live corpus or model differs from what was evaluated', async () => {
    let html = (await app.inject({ method: 'GET', url: '/about/citecare-patient-view' })).body;
    assert.match(html, /different guideline corpus version/);
    assert.doesNotMatch(html, /has not been evaluated here/);
    writeFileSync(reportPath, JSON.stringify({ ...REPORT, corpusVersion: 'f00dcafe'.repeat(8) }));
    const withModel = await build(reportPath, 'openai');
    html = (await withModel.inject({ method: 'GET', url: '/about/citecare-patient-view' })).body;
    assert.doesNotMatch(html, /different guideline corpus version/);
    assert.match(html, /uses a model, which has not been evaluated here/);
    await withModel.close();
    writeFileSync(reportPath, JSON.stringify(REPORT));
  });

  it('names the model when one is configured, and deterministic mode when not', async () => {
    const det = (
      await app.inject({ method: 'GET', url: '/about/citecare-patient-view?format=json' })
    ).json<AboutPage>();
    assert.equal(det.logic.model.configured, false);
    const withModel = await build(reportPath, 'openai');
    const page = (
      await withModel.inject({ method: 'GET', url: '/about/citecare-patient-view?format=json' })
    ).json<AboutPage>();
    assert.equal(page.logic.model.configured, true);
    assert.equal(page.logic.model.name, 'test-model-1');
    await withModel.close();
  });

  it('returns 404 for an unknown service id', async () => {
    const res = await app.inject({ method: 'GET', url: '/about/%3Cscript%3Enope' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().resourceType, 'OperationOutcome');
  });

  it('lists the services at /about', async () => {
    const html = (await app.inject({ method: 'GET', url: '/about' })).body;
    for (const s of services) assert.ok(html.includes(`/about/${s.id}`));
  });
});
