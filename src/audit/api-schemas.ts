// The auditor API's contract as zod schemas: the routes validate queries and answers with them and
// /audit/api/openapi.json is generated from them, so the document cannot drift from the code.
// Record and feedback bodies are the hashed chain entries: their fixed fields are described, the
// clinical content (findings, cards, model output) stays open.
import { z } from 'zod';
import { EXPORT_FORMATS } from './export.ts';

const time = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const text = z.string().trim().min(1).max(200);

export const filterQuery = z.object({
  from: time.optional(),
  to: time.optional(),
  service: text.optional(),
  patient: text.optional(),
  model: text.optional(),
  fallback: flag.optional(),
  silent: flag.optional(),
});

export const listQuery = filterQuery.extend({
  outcome: z.enum(['accepted', 'overridden', 'none']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().max(64).optional(),
});

export const exportQuery = z.object({ format: z.enum(EXPORT_FORMATS).default('ndjson') });

/** The export is streamed (never serialised through this schema): described for the document. */
export const exportBody = z
  .string()
  .describe(
    'The whole chain in order, as a download: application/x-ndjson (one entry per line) or application/fhir+json (a Bundle of AuditEvents)',
  );

export const recordParams = z.object({ id: z.string().min(1).max(200) });

export const errorBody = z.object({ error: z.string(), problems: z.array(z.string()).optional() });

const summary = z.object({
  id: z.string(),
  seq: z.number().int(),
  time: z.string(),
  channel: z.enum(['cds-hooks', 'smart-app']),
  service: z.string(),
  hook: z.string(),
  user: z.string().optional(),
  patient: z.string().optional(),
  model: z.string().optional(),
  llmStatus: z.string().optional(),
  fallback: z.boolean(),
  silent: z.boolean(),
  cardCount: z.number().int(),
  accepted: z.number().int(),
  overridden: z.number().int(),
  totalMs: z.number().optional(),
  errorCount: z.number().int(),
});

export const recordPage = z.object({ records: z.array(summary), nextCursor: z.string().optional() });

const chainFields = { id: z.string(), seq: z.number().int(), prevHash: z.string(), hash: z.string() };

const record = z.looseObject({
  ...chainFields,
  time: z.string(),
  channel: z.enum(['cds-hooks', 'smart-app']),
  service: z.string(),
  hook: z.string(),
  hookInstance: z.string(),
  user: z.string().optional(),
  patient: z.string().optional(),
  resources: z.array(z.looseObject({ ref: z.string() })),
  snapshotHash: z.string(),
  retrieval: z.object({ corpusVersion: z.string(), chunkIds: z.array(z.string()) }),
  cards: z.array(z.unknown()),
  cardIds: z.array(z.string()),
  silent: z.boolean(),
  fallback: z.boolean(),
  errors: z.array(z.string()),
});

const feedbackEvent = z.looseObject({
  ...chainFields,
  channel: z.enum(['cds-hooks', 'smart-app']),
  service: z.string(),
  cardId: z.string(),
  outcome: z.enum(['accepted', 'overridden']),
  outcomeTimestamp: z.string(),
  receivedAt: z.string(),
  recordId: z.string().optional(),
});

export const recordDetail = z.object({ record, feedback: z.array(feedbackEvent) });

const rateRow = z.object({
  key: z.string(),
  cards: z.number().int(),
  accepted: z.number().int(),
  overridden: z.number().int(),
  acceptanceRate: z.number().nullable(),
  overrideRate: z.number().nullable(),
});

export const auditMetrics = z.object({
  records: z.number().int(),
  silentRecords: z.number().int(),
  silentCards: z.number().int(),
  cardsShown: z.number().int(),
  byService: z.array(rateRow),
  byCardType: z.array(rateRow),
  overrideReasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  modelFallback: z.object({
    records: z.number().int(),
    fallback: z.number().int(),
    rate: z.number().nullable(),
  }),
  latencyMs: z.object({
    count: z.number().int(),
    p50: z.number().nullable(),
    p95: z.number().nullable(),
    p99: z.number().nullable(),
  }),
  acceptanceOverTime: z.array(
    z.object({
      day: z.string(),
      cards: z.number().int(),
      accepted: z.number().int(),
      overridden: z.number().int(),
    }),
  ),
});

const anchor = z.object({ seq: z.number().int(), hash: z.string() });

export const chainVerification = z.union([
  z.object({ ok: z.literal(true), entries: z.number().int(), head: anchor, anchor: anchor.optional() }),
  z.object({
    ok: z.literal(false),
    entries: z.number().int(),
    broken: z.object({ seq: z.number().int(), id: z.string(), reason: z.string() }),
  }),
]);

/** Every /audit/api route answers these to a caller who is not an auditor, or who asks too often. */
export const refusals = { 401: errorBody, 403: errorBody, 429: errorBody } as const;
