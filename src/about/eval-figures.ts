// Reads the latest evaluation report at request time: a new `npm run eval` shows up on the about
// pages without a restart, and a missing or malformed report is said plainly rather than hidden.
import { readFile } from 'node:fs/promises';
import { type EvalReport, evalReportSchema } from '../evaluation/report-schema.ts';

export type EvalFigures = { available: true; report: EvalReport } | { available: false; reason: string };

export async function readEvalFigures(path: string): Promise<EvalFigures> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { available: false, reason: `No evaluation report at ${path}: run \`npm run eval\`.` };
  }
  try {
    const parsed = evalReportSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { available: true, report: parsed.data };
    return { available: false, reason: `The evaluation report at ${path} is not in the expected format.` };
  } catch {
    return { available: false, reason: `The evaluation report at ${path} is not valid JSON.` };
  }
}
