// `npm run eval`: runs the vignette set through the whole pipeline and writes
// reports/eval-latest.{md,json} and reports/eval-confusion.svg.
// Deterministic by default; `--model` uses the model configured in the environment (OPENAI_* / LLM_*).
// Options: --model, --vignettes DIR, --out DIR.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.ts';
import { confusionSvg } from '../src/demo/confusion-svg.ts';
import { formatRate } from '../src/demo/eval-metrics.ts';
import { renderEvalMarkdown } from '../src/demo/eval-report.ts';
import { runEvaluation } from '../src/demo/eval-runner.ts';
import { loadVignettes, VIGNETTES_DIR } from '../src/demo/vignettes.ts';
import { createRuntime } from '../src/server/runtime.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'boolean', default: false },
    vignettes: { type: 'string', default: VIGNETTES_DIR },
    out: { type: 'string', default: 'reports' },
  },
});

/** Captures what leaves for the model endpoint so it can be scanned for identifiers. */
function captureModelRequests(endpoint: string): () => string[] {
  let captured: string[] = [];
  const original = globalThis.fetch;
  const host = new URL(endpoint).host;
  globalThis.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (new URL(url).host === host && typeof init?.body === 'string') captured.push(init.body);
    return original(input, init);
  };
  return () => {
    const out = captured;
    captured = [];
    return out;
  };
}

async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({
      ...process.env,
      LOG_LEVEL: 'silent',
      // The evaluation must not add records to the real audit trail, nor need the demo server.
      AUDIT_DATABASE_URL: 'sqlite::memory:',
      DEMO_FHIR: 'off',
      LLM_PROVIDER: values.model ? process.env.LLM_PROVIDER : 'none',
      // A model answer is what is being measured: give it time instead of the hook's budget.
      HOOK_BUDGET_MS: values.model ? (process.env.HOOK_BUDGET_MS ?? '60000') : process.env.HOOK_BUDGET_MS,
      LLM_TIMEOUT_MS: values.model ? (process.env.LLM_TIMEOUT_MS ?? '60000') : process.env.LLM_TIMEOUT_MS,
    });
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    return 2;
  }
  if (values.model && config.LLM_PROVIDER === 'none') {
    process.stderr.write(
      '--model needs a configured model: set OPENAI_API_KEY (and OPENAI_BASE_URL, LLM_MODEL).\n',
    );
    return 2;
  }
  const takeModelRequests = values.model
    ? captureModelRequests(config.OPENAI_BASE_URL ?? 'https://api.openai.com/v1')
    : undefined;
  const vignettes = await loadVignettes(values.vignettes);
  const runtime = await createRuntime(config, { cdsClients: [] });
  try {
    process.stderr.write(`Evaluating ${vignettes.length} vignettes (${runtime.advisor.describe()})…\n`);
    const run = await runEvaluation(vignettes, {
      pipeline: runtime.pipeline,
      passageText: (id) => runtime.guidelines.get(id)?.text,
      corpusVersion: runtime.guidelines.corpusVersion,
      mode: values.model ? 'model' : 'deterministic',
      model: values.model ? config.LLM_MODEL : undefined,
      takeModelRequests,
    });
    await mkdir(values.out, { recursive: true });
    const s = run.summary;
    await writeFile(
      join(values.out, 'eval-latest.json'),
      `${JSON.stringify({ ...s, cases: run.cases }, null, 2)}\n`,
    );
    await writeFile(join(values.out, 'eval-latest.md'), renderEvalMarkdown(run));
    await writeFile(
      join(values.out, 'eval-confusion.svg'),
      confusionSvg(s.triage.confusion, `Acuity: reference vs CiteCare (${s.mode}, n=${s.vignettes})`),
    );
    process.stdout.write(
      [
        `exact ${formatRate(s.triage.exact)}`,
        `within one ${formatRate(s.triage.withinOne)}`,
        `under-triage ${formatRate(s.triage.underTriage)}`,
        `over-triage ${formatRate(s.triage.overTriage)}`,
        `high-acuity sensitivity ${formatRate(s.triage.highAcuitySensitivity)}`,
        `NEWS2 agreement ${formatRate(s.news2)}`,
        `qSOFA agreement ${formatRate(s.qsofa)}`,
        `citations valid ${formatRate(s.citations)}`,
        `statements kept/dropped ${s.statements.kept}/${s.statements.dropped}`,
        `PHI findings ${s.phi.findings}`,
        `wrote ${join(values.out, 'eval-latest.md')}, eval-latest.json, eval-confusion.svg`,
      ].join('\n') + '\n',
    );
    return 0;
  } finally {
    await runtime.close();
  }
}

process.exitCode = await main();
