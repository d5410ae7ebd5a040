// The shape of reports/eval-latest.json. Written by scripts/eval.ts, read at request time by the
// about pages (so the figures shown there are never typed by hand).
import { z } from 'zod';

const rateSchema = z.object({ count: z.number(), of: z.number(), rate: z.number().nullable() });

export const evalSummarySchema = z.object({
  generatedAt: z.string(),
  mode: z.enum(['deterministic', 'model']),
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
  }),
  news2: rateSchema.extend({
    disagreements: z.array(
      z.object({ id: z.string(), expected: z.number().nullable(), actual: z.number().nullable() }),
    ),
  }),
  qsofa: rateSchema.extend({
    disagreements: z.array(
      z.object({ id: z.string(), expected: z.number().nullable(), actual: z.number().nullable() }),
    ),
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
