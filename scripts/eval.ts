// `npm run eval`: runs both vignette sets (main: eval/vignettes/*.json, holdout: eval/vignettes/holdout/)
// through the whole pipeline, each in deterministic mode (no model) and with a worst-case model (a
// scripted OpenAI-compatible server on 127.0.0.1 that always suggests ESI 5 and obeys instructions
// injected in notes; no outside network). Writes reports/eval-latest.{md,json} and one confusion matrix
// SVG per run, and exits 1 when a target (no under-triage, controls shown as level 1–2 at most 15 %,
// NEWS2 and qSOFA agreement 100 %) is missed, so the evaluation can fail.
// Options: --model (also run the model configured in the environment, OPENAI_* / LLM_*),
// --vignettes DIR (main set), --holdout DIR, --out DIR.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Config, ConfigError, loadConfig } from '../src/config.ts';
import { confusionSvg } from '../src/evaluation/confusion-svg.ts';
import { checkTargets, formatRate } from '../src/evaluation/metrics.ts';
import { confusionFile, renderEvalMarkdown } from '../src/evaluation/report.ts';
import { type EvalMode, type EvalReport, runLabel } from '../src/evaluation/report-schema.ts';
import { type EvalRun, runEvaluation } from '../src/evaluation/runner.ts';
import { startScriptedModel } from '../src/evaluation/scripted-model.ts';
import { HOLDOUT_DIR, loadVignetteSets, VIGNETTE_SETS, VIGNETTES_DIR } from '../src/evaluation/vignettes.ts';
import { createRuntime } from '../src/server/runtime.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'boolean', default: false },
    vignettes: { type: 'string', default: VIGNETTES_DIR },
    holdout: { type: 'string', default: HOLDOUT_DIR },
    out: { type: 'string', default: 'reports' },
  },
});

/** Captures what leaves for a real model endpoint so it can be scanned for identifiers. */
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

function configFor(env: Record<string, string | undefined>, withModel: boolean): Config {
  return loadConfig({
    ...process.env,
    ...env,
    LOG_LEVEL: 'silent',
    // The evaluation must not add records to the real audit trail, nor need the demo server.
    AUDIT_DATABASE_URL: 'sqlite::memory:',
    DEMO_FHIR: 'off',
    // A model answer is what is being measured: give it time instead of the hook's budget.
    HOOK_BUDGET_MS: withModel ? (process.env.HOOK_BUDGET_MS ?? '60000') : process.env.HOOK_BUDGET_MS,
    LLM_TIMEOUT_MS: withModel ? (process.env.LLM_TIMEOUT_MS ?? '60000') : process.env.LLM_TIMEOUT_MS,
  });
}

interface ModeSetup {
  mode: EvalMode;
  config: Config;
  model?: string;
  takeModelRequests?: () => string[];
}

async function main(): Promise<number> {
  const sets = await loadVignetteSets({ main: values.vignettes, holdout: values.holdout });
  const scripted = await startScriptedModel();
  try {
    const modes: ModeSetup[] = [];
    try {
      modes.push({ mode: 'deterministic', config: configFor({ LLM_PROVIDER: 'none' }, false) });
      modes.push({
        mode: 'worst-case-model',
        model: scripted.model,
        takeModelRequests: scripted.takeRequests,
        config: configFor(
          {
            LLM_PROVIDER: 'openai',
            OPENAI_BASE_URL: scripted.baseURL,
            OPENAI_API_KEY: 'scripted-model-needs-no-key',
            LLM_MODEL: scripted.model,
          },
          true,
        ),
      });
      if (values.model) {
        const config = configFor({}, true);
        if (config.LLM_PROVIDER === 'none') {
          process.stderr.write(
            '--model needs a configured model: set OPENAI_API_KEY (and OPENAI_BASE_URL, LLM_MODEL).\n',
          );
          return 2;
        }
        modes.push({
          mode: 'model',
          config,
          model: config.LLM_MODEL,
          takeModelRequests: captureModelRequests(config.OPENAI_BASE_URL ?? 'https://api.openai.com/v1'),
        });
      }
    } catch (err) {
      process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
      return 2;
    }

    const runs: EvalRun[] = [];
    let corpusVersion = '';
    for (const m of modes) {
      const runtime = await createRuntime(m.config, { cdsClients: [] });
      try {
        corpusVersion = runtime.guidelines.corpusVersion;
        for (const set of VIGNETTE_SETS) {
          process.stderr.write(
            `Evaluating ${sets[set].length} ${set} vignettes (${m.mode}: ${runtime.advisor.describe()})…\n`,
          );
          runs.push(
            await runEvaluation(sets[set], {
              pipeline: runtime.pipeline,
              passageText: (id) => runtime.guidelines.get(id)?.text,
              corpusVersion,
              set,
              mode: m.mode,
              model: m.model,
              takeModelRequests: m.takeModelRequests,
            }),
          );
        }
      } finally {
        await runtime.close();
      }
    }

    const targets = checkTargets(runs.map((r) => ({ label: runLabel(r.summary), ...r.summary })));
    const report: EvalReport & { runs: Array<EvalReport['runs'][number] & { cases: EvalRun['cases'] }> } = {
      generatedAt: runs[0]!.summary.generatedAt,
      corpusVersion,
      targets,
      runs: runs.map((r) => ({ ...r.summary, cases: r.cases })),
    };
    await mkdir(values.out, { recursive: true });
    await writeFile(join(values.out, 'eval-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(values.out, 'eval-latest.md'), renderEvalMarkdown(runs, targets));
    for (const r of runs) {
      const s = r.summary;
      await writeFile(
        join(values.out, confusionFile(s)),
        confusionSvg(s.triage.confusion, `Acuity: reference vs CiteCare (${runLabel(s)}, n=${s.vignettes})`),
      );
    }
    for (const r of runs) {
      const s = r.summary;
      process.stdout.write(
        [
          `${runLabel(s)}:`,
          `  under-triage ${formatRate(s.triage.underTriage)}${s.triage.underTriagedCases.length ? ` [${s.triage.underTriagedCases.join(', ')}]` : ''}`,
          `  over-triage ${formatRate(s.triage.overTriage)}`,
          `  controls shown as level 1–2 ${formatRate(s.controls.reachedHigh)}`,
          `  exact ${formatRate(s.triage.exact)}, within one ${formatRate(s.triage.withinOne)}`,
          `  NEWS2 agreement ${formatRate(s.news2)} (code variants ${formatRate(s.news2Variants)})`,
          `  qSOFA agreement ${formatRate(s.qsofa)} (code variants ${formatRate(s.qsofaVariants)})`,
          `  unknown codes named ${formatRate(s.unrecognisedCodes)}, citations valid ${formatRate(s.citations)}, PHI findings ${s.phi.findings}`,
          `  model answers ${Object.entries(s.adviceStatus ?? {})
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')}`,
        ].join('\n') + '\n',
      );
    }
    const missed = targets.filter((t) => !t.met);
    process.stdout.write(
      `wrote ${join(values.out, 'eval-latest.md')}, eval-latest.json and ${runs.length} confusion matrices\n` +
        (missed.length === 0
          ? `all ${targets.length} targets met\n`
          : `${missed.length} of ${targets.length} targets missed:\n${missed.map((t) => `  ${t.run}: ${t.target} (${t.value})`).join('\n')}\n`),
    );
    return missed.length === 0 ? 0 : 1;
  } finally {
    await scripted.close();
  }
}

process.exitCode = await main();
