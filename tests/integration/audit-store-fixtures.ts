// Records and harness types shared by the store suite (run against SQLite and PostgreSQL).
import type { AuditDatabase, AuditRecordInput, FeedbackInput } from '../../src/audit/types.ts';

export interface StoreHarness {
  store: AuditDatabase;
  /** A second, independent handle on the same database (another pool / connection). */
  another(): Promise<AuditDatabase>;
  /** Raw SQL on the same database, outside the store (`?` placeholders). */
  sql(query: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  /** Another handle that gives up waiting for a lock quickly (for the write-failure test). */
  impatient(): Promise<AuditDatabase>;
  /** Holds a lock that makes writes wait (and impatient handles fail); returns the release. */
  blockWrites(): Promise<() => Promise<void>>;
  dispose(): Promise<void>;
}

export type HarnessFactory = () => Promise<StoreHarness>;

let n = 0;

export function makeRecord(overrides: Partial<AuditRecordInput> = {}): AuditRecordInput {
  n += 1;
  const cardId = `card-${n}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    time: '2026-11-20T10:00:00.000Z',
    channel: 'cds-hooks',
    service: 'citecare-sepsis',
    hook: 'patient-view',
    hookInstance: `hi-${n}`,
    user: 'Practitioner/p1',
    patient: 'Patient/pat-1',
    resources: [{ ref: 'Observation/o1', versionId: '3', lastUpdated: '2026-11-20T09:58:00Z' }],
    snapshotHash: 'a'.repeat(64),
    scores: { news2: { total: 7 } },
    findings: [{ id: 'sepsis-screen', severity: 'critical' }],
    retrieval: { corpusVersion: 'corpus-2026.11', chunkIds: ['ssc-2021#c12'] },
    llm: {
      provider: 'openai',
      model: 'gpt-4o-mini',
      parameters: { temperature: 0 },
      prompt: { id: 'summary', version: '3', sha256: 'b'.repeat(64) },
      status: 'ok',
      rawOutput: '{"statements":[]}',
      parsed: { statements: [] },
      verification: { kept: 2, dropped: [{ text: 'unsupported', reason: 'no evidence' }] },
      usage: { promptTokens: 900, completionTokens: 120 },
    },
    cards: [
      {
        uuid: cardId,
        summary: 'Possible sepsis: NEWS2 7',
        indicator: 'critical',
        source: { label: 'CiteCare' },
        extension: { 'org.citecare.finding': 'sepsis-screen' },
      },
    ],
    cardIds: [cardId],
    silent: false,
    fallback: false,
    timings: { total: 420, fhir: 80, llm: 300 },
    errors: [],
    ...overrides,
  };
}

export function makeFeedback(cardId: string, overrides: Partial<FeedbackInput> = {}): FeedbackInput {
  return {
    service: 'citecare-sepsis',
    cardId,
    outcome: 'accepted',
    acceptedSuggestions: ['s-1'],
    outcomeTimestamp: '2026-11-20T10:01:00Z',
    channel: 'cds-hooks',
    user: 'Practitioner/p1',
    ...overrides,
  };
}
