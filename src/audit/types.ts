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
  /** True when the store can currently be written (drives /readyz). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
