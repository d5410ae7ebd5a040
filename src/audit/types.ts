// The audit trail's port. One record per hook invocation (or SMART assessment), written before
// the response leaves; feedback events link to a record's cards. Records are hash-chained.

export interface AuditRecordInput {
  /** ISO-8601 time the invocation started. */
  time: string;
  /** 'cds-hooks' or 'smart-app'. */
  channel: 'cds-hooks' | 'smart-app';
  service: string;
  hook: string;
  hookInstance: string;
  user?: string;
  /** The authenticated CDS client (iss, tenant and the token's jti), when there was one; feedback must come from it. */
  client?: { iss: string; jti: string; tenant?: string };
  /** `Patient/id`. */
  patient?: string;
  /** Every FHIR resource used, with version data. */
  resources: Array<{ ref: string; versionId?: string; lastUpdated?: string }>;
  snapshotHash: string;
  scores: unknown;
  findings: unknown;
  triage?: unknown;
  retrieval: { corpusVersion: string; chunkIds: string[] };
  llm?: {
    provider?: string;
    model?: string;
    parameters?: Record<string, unknown>;
    prompt?: { id: string; version: string; sha256: string };
    status: string;
    rawOutput?: string;
    parsed?: unknown;
    verification?: { kept: number; dropped: Array<{ text: string; reason: string }> };
    usage?: { promptTokens: number; completionTokens: number };
    error?: string;
    cached?: boolean;
  };
  /** The version of the drug table the medication review used (every pipeline record). */
  drugTableVersion?: string;
  /** patient-view chart review: the items shown (with their card) and those hidden by earlier feedback. */
  chartReview?: unknown;
  /** The cards returned (or, in silent mode, the cards that would have been returned). */
  cards: unknown[];
  /** uuids of the returned cards, for linking feedback. */
  cardIds: string[];
  silent: boolean;
  fallback: boolean;
  timings: Record<string, number>;
  errors: string[];
}

export interface AuditRecord extends AuditRecordInput {
  /** Entry format version (1); absent on entries written before versioning. */
  v?: number;
  /** ISO-8601 time the store wrote the entry (since version 1). */
  writtenAt?: string;
  /** Position in the chain, from 1. */
  seq: number;
  id: string;
  prevHash: string;
  hash: string;
}

export interface FeedbackInput {
  service: string;
  cardId: string;
  outcome: 'accepted' | 'overridden';
  acceptedSuggestions?: string[];
  overrideReason?: { code?: string; system?: string; display?: string };
  userComment?: string;
  user?: string;
  /** From the client (outcomeTimestamp). */
  outcomeTimestamp: string;
  /** 'cds-hooks' feedback or the SMART app's accept/override. */
  channel: 'cds-hooks' | 'smart-app';
  /** SMART decisions: the level chosen and what it overrode. */
  decision?: Record<string, unknown>;
}

export interface FeedbackEvent extends FeedbackInput {
  /** Entry format version (1); absent on entries written before versioning. */
  v?: number;
  seq: number;
  id: string;
  /** The audit record whose card this is, when known. */
  recordId?: string;
  receivedAt: string;
  prevHash: string;
  hash: string;
}

export interface AuditStore {
  /** Appends one record to the chain; throws when it cannot be written. */
  append(record: AuditRecordInput): Promise<AuditRecord>;
  /** Appends a feedback event (also chained) linked to its card's record. */
  appendFeedback(feedback: FeedbackInput): Promise<FeedbackEvent>;
  /**
   * Appends several feedback events in one transaction, in order: all are written or none is
   * (throws then). An empty list writes nothing.
   */
  appendFeedbackBatch(items: FeedbackInput[]): Promise<FeedbackEvent[]>;
  /** True when the store can currently be written (drives /readyz). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

// ---- Reading the trail (auditor API, CLI, export). Kept apart from AuditStore so writers and
// test fakes only need the four methods above.

/** One chain entry as stored and hashed: a decision record or a feedback event. */
export type AuditEntry = (AuditRecord & { kind: 'record' }) | (FeedbackEvent & { kind: 'feedback' });

export type CardOutcome = 'accepted' | 'overridden' | 'none';

export interface AuditRecordFilter {
  /** Inclusive ISO-8601 lower bound on the record's `time`. */
  from?: string;
  /** Exclusive ISO-8601 upper bound on the record's `time`. */
  to?: string;
  service?: string;
  /** `Patient/id` (a bare id is accepted too). */
  patient?: string;
  /**
   * Records with at least one card whose latest feedback has that outcome; 'none': records
   * without feedback.
   */
  outcome?: CardOutcome;
  model?: string;
  fallback?: boolean;
  silent?: boolean;
  /** Page size, 1..500 (default 50). */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface AuditRecordSummary {
  id: string;
  seq: number;
  time: string;
  channel: AuditRecordInput['channel'];
  service: string;
  hook: string;
  user?: string;
  patient?: string;
  model?: string;
  llmStatus?: string;
  fallback: boolean;
  silent: boolean;
  cardCount: number;
  accepted: number;
  overridden: number;
  totalMs?: number;
  errorCount: number;
}

export interface AuditRecordPage {
  records: AuditRecordSummary[];
  nextCursor?: string;
}

export interface AuditRecordDetail {
  record: AuditRecord;
  /** Feedback events linked to this record's cards, in chain order. */
  feedback: FeedbackEvent[];
}

export interface RateRow {
  key: string;
  /**
   * Cards shown (silent-mode cards are never shown, so they are not counted). A SMART assessment
   * counts once, as one decision, under the card type 'smart-triage-decision'.
   */
  cards: number;
  accepted: number;
  overridden: number;
  acceptanceRate: number | null;
  overrideRate: number | null;
}

export interface AuditMetrics {
  records: number;
  silentRecords: number;
  /** Cards silent-mode records would have shown. */
  silentCards: number;
  cardsShown: number;
  byService: RateRow[];
  /** Keyed by the card's finding id (`extension['org.citecare.finding']`), else its summary. */
  byCardType: RateRow[];
  overrideReasons: Array<{ reason: string; count: number }>;
  /** Among records where a model was involved (`llm` present and not disabled). */
  modelFallback: { records: number; fallback: number; rate: number | null };
  /** From `timings.total`. */
  latencyMs: { count: number; p50: number | null; p95: number | null; p99: number | null };
  /** Per UTC day of the record time. */
  acceptanceOverTime: Array<{ day: string; cards: number; accepted: number; overridden: number }>;
}

export type MetricsFilter = Omit<AuditRecordFilter, 'outcome' | 'limit' | 'cursor'>;

export interface ChainAnchor {
  /** The last purged entry's seq and hash: the chain continues from it. */
  seq: number;
  hash: string;
}

export type ChainVerification =
  | { ok: true; entries: number; head: ChainAnchor; anchor?: ChainAnchor }
  | { ok: false; entries: number; broken: { seq: number; id: string; reason: string } };

export interface PurgeResult {
  purged: number;
  anchor?: ChainAnchor;
}

export interface AuditReader {
  list(filter?: AuditRecordFilter): Promise<AuditRecordPage>;
  get(id: string): Promise<AuditRecordDetail | undefined>;
  /** Records of this patient with a card overridden since `since` (by feedback time), with their feedback. */
  overriddenSince(patient: string, since: Date): Promise<AuditRecordDetail[]>;
  /** The record that returned the card with this uuid (CDS feedback checks against it). */
  recordForCard(cardId: string): Promise<AuditRecord | undefined>;
  metrics(filter?: MetricsFilter): Promise<AuditMetrics>;
  /** Every entry (records and feedback) in chain order, read page by page. */
  entries(): AsyncIterable<AuditEntry>;
  verifyChain(): Promise<ChainVerification>;
  /** Deletes the oldest entries whose time is before `before` (a prefix of the chain), keeping an anchor. */
  purge(before: Date): Promise<PurgeResult>;
}

/** What `openAuditStore` returns: the writer port plus the reader. */
export interface AuditDatabase extends AuditStore, AuditReader {}
