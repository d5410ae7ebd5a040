// Output schemas for the model. The same zod schema is sent to the provider (as a strict JSON
// schema) and used to check the answer, which is always treated as unknown until it passes.
// Strict structured outputs need every property required, so "none" is an empty array, never
// an absent key.
import { z } from 'zod';

/** ESI-style resource categories: a closed list, so no free text reaches a card this way. */
export const EXPECTED_RESOURCES = [
  'labs',
  'ecg',
  'plain-imaging',
  'advanced-imaging',
  'iv-fluids',
  'iv-im-or-nebulised-medication',
  'specialty-consultation',
  'simple-procedure',
  'complex-procedure',
] as const;
export type ExpectedResource = (typeof EXPECTED_RESOURCES)[number];

export const draftCitationSchema = z.object({
  chunkId: z.string(),
  quote: z.string(),
});

export const draftStatementSchema = z.object({
  text: z.string(),
  /** Opaque evidence tokens from the input (e.g. "E7"). */
  evidence: z.array(z.string()).max(12),
  citations: z.array(draftCitationSchema).max(4),
});
export type DraftStatement = z.infer<typeof draftStatementSchema>;

export const summaryDraftSchema = z.object({
  statements: z.array(draftStatementSchema).max(12),
});
export type SummaryDraft = z.infer<typeof summaryDraftSchema>;

export const triageDraftSchema = z.object({
  suggestedLevel: z.number().int().min(1).max(5),
  expectedResources: z.array(z.enum(EXPECTED_RESOURCES)).max(EXPECTED_RESOURCES.length),
  redFlags: z.array(draftStatementSchema).max(8),
  rationale: z.array(draftStatementSchema).max(8),
});
export type TriageDraft = z.infer<typeof triageDraftSchema>;

/** Output schemas by the name prompt files use in their front matter (`output:`). */
export const OUTPUT_SCHEMAS = {
  'patient-summary': summaryDraftSchema,
  'triage-advice': triageDraftSchema,
} as const;
export type OutputSchemaName = keyof typeof OUTPUT_SCHEMAS;

export function isOutputSchemaName(name: string): name is OutputSchemaName {
  return Object.hasOwn(OUTPUT_SCHEMAS, name);
}

/** Limits the verifier applies beyond the wire schema (kept off the wire: not every server supports them). */
export const STATEMENT_LIMITS = {
  maxTextChars: 400,
  minQuoteChars: 12,
  /** Shorter quotes pass only when they are a whole sentence of the passage. */
  minQuoteWords: 6,
} as const;
