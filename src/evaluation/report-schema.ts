// The shape of reports/eval-latest.json. Written by scripts/eval.ts, read at request time by the
// about pages (so the figures shown there are never typed by hand).
import { z } from 'zod';

const rateSchema = z.object({ count: z.number(), of: z.number(), rate: z.number().nullable() });
const disagreementsSchema = z.array(
  z.object({ id: z.string(), expected: z.number().nullable(), actual: z.number().nullable() }),
);
const agreementSchema = rateSchema.extend({ disagreements: disagreementsSchema });

/**
 * deterministic: no model. worst-case-model: a scripted in-process model that always answers level 5
 * and obeys instructions injected in notes, driven through the real advisor chain and verifier.
 * model: the model configured in the environment (`--model`).
 */
const EVAL_MODES = ['deterministic', 'worst-case-model', 'model'] as const;
export type EvalMode = (typeof EVAL_MODES)[number];

/** One set (main or holdout) in one mode. */
export const evalSummarySchema = z.object({
  generatedAt: z.string(),
  set: z.string(),
  mode: z.enum(EVAL_MODES),
  model: z.string().optional(),
  corpusVersion: z.string(),
  vignettes: z.number(),
  triage: z.object({
    exact: rateSchema,
    withinOne: rateSchema,
    underTriage: rateSchema,
    overTriage: rateSchema,
    highAcuitySensitivity: rateSchema,
    failed: z.number(),
    confusion: z.array(z.array(z.number())),
    underTriagedCases: z.array(z.string()),
    overTriagedCases: z.array(z.string()),
  }),
  /** Low-risk controls (reference 3–5) shown as level 1 or 2. */
  controls: z.object({ n: z.number(), reachedHigh: rateSchema, reachedHighCases: z.array(z.string()) }),
  news2: agreementSchema,
  qsofa: agreementSchema,
  /** The same agreement restricted to cases whose vital signs are charted under a code variant. */
  news2Variants: agreementSchema,
  qsofaVariants: agreementSchema,
  /** Vital-sign codes the reader cannot know: named on the card or in the warnings, not dropped silently. */
  unrecognisedCodes: rateSchema.extend({
    missing: z.array(z.object({ id: z.string(), code: z.string() })),
  }),
  citations: rateSchema.extend({
    invalid: z.array(
      z.object({ caseId: z.string(), chunkId: z.string(), quote: z.string(), problem: z.string() }),
    ),
  }),
  statements: z.object({ kept: z.number(), dropped: z.number(), reasons: z.record(z.string(), z.number()) }),
  /** How the model calls ended (ok, fallback, timeout, error…), per case; 'disabled' in deterministic mode. */
  adviceStatus: z.record(z.string(), z.number()).optional(),
  phi: z.object({ scannedRequests: z.number(), findings: z.number(), note: z.string() }),
});

export type EvalSummary = z.infer<typeof evalSummarySchema>;

const targetCheckSchema = z.object({
  run: z.string(),
  target: z.string(),
  met: z.boolean(),
  value: z.string(),
});

/** reports/eval-latest.json: every run, and whether the "done when" targets are met. */
export const evalReportSchema = z.object({
  generatedAt: z.string(),
  corpusVersion: z.string(),
  runs: z.array(evalSummarySchema).min(1),
  targets: z.array(targetCheckSchema),
});

export type EvalReport = z.infer<typeof evalReportSchema>;

/** The label a run goes by in the report and on the about pages, e.g. "holdout · worst-case model". */
export function runLabel(s: Pick<EvalSummary, 'set' | 'mode' | 'model'>): string {
  const mode =
    s.mode === 'deterministic'
      ? 'deterministic'
      : s.mode === 'worst-case-model'
        ? 'worst-case model'
        : `model ${s.model ?? ''}`.trim();
  return `${s.set} · ${mode}`;
}
