// The one hash chain over decision records and feedback events. Each entry's hash is SHA-256 over
// the canonical JSON of the entry without its `hash` (the entry includes `seq`, `id`, `kind` and
// `prevHash`, so the hash binds the content to its place in the chain). The stored body is exactly
// that canonical text, so an export can be re-verified without this code.
import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { scrubSecrets } from './scrub.ts';
import type { AuditRecordInput, ChainAnchor, FeedbackInput } from './types.ts';

export const GENESIS_HASH = '0'.repeat(64);

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A chain entry as stored: the canonical body plus the columns the queries filter on. */
export interface EntryRow {
  seq: number;
  id: string;
  kind: 'record' | 'feedback';
  time_ms: number;
  service: string | null;
  patient: string | null;
  model: string | null;
  fallback: number;
  silent: number;
  record_id: string | null;
  card_id: string | null;
  outcome: string | null;
  body: string;
  prev_hash: string;
  hash: string;
}

export const ENTRY_COLUMNS = [
  'seq',
  'id',
  'kind',
  'time_ms',
  'service',
  'patient',
  'model',
  'fallback',
  'silent',
  'record_id',
  'card_id',
  'outcome',
  'body',
  'prev_hash',
  'hash',
] as const;

export class AuditWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuditWriteError';
  }
}

function timeMs(iso: string, field: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new AuditWriteError(`${field} is not an ISO-8601 time`);
  return ms;
}

/** Format version written into every new entry's hashed body (entries without it are version 0). */
const ENTRY_VERSION = 1;

function seal(body: Record<string, unknown>): { body: string; hash: string } {
  const text = canonicalJson(body);
  return { body: text, hash: sha256Hex(text) };
}

/** The columns the queries filter on; always derived from the hashed body, never set apart from it. */
export type IndexColumns = Pick<
  EntryRow,
  | 'kind'
  | 'time_ms'
  | 'service'
  | 'patient'
  | 'model'
  | 'fallback'
  | 'silent'
  | 'record_id'
  | 'card_id'
  | 'outcome'
>;

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Derives the index columns from a (parsed) hashed body; undefined when the body has no valid kind. */
function indexColumns(body: Record<string, unknown>): IndexColumns | undefined {
  if (body.kind === 'record') {
    const llm = body.llm as { model?: unknown } | undefined;
    return {
      kind: 'record',
      time_ms: Date.parse(String(body.time)),
      service: text(body.service),
      patient: text(body.patient),
      model: text(llm?.model),
      fallback: body.fallback ? 1 : 0,
      silent: body.silent ? 1 : 0,
      record_id: null,
      card_id: null,
      outcome: null,
    };
  }
  if (body.kind === 'feedback') {
    return {
      kind: 'feedback',
      time_ms: Date.parse(String(body.receivedAt)),
      service: text(body.service),
      patient: null,
      model: null,
      fallback: 0,
      silent: 0,
      record_id: text(body.recordId),
      card_id: text(body.cardId),
      outcome: text(body.outcome),
    };
  }
  return undefined;
}

function row(body: Record<string, unknown>, seq: number, id: string, prevHash: string): EntryRow {
  const sealed = seal(body);
  return {
    seq,
    id,
    ...(indexColumns(body) as IndexColumns),
    body: sealed.body,
    prev_hash: prevHash,
    hash: sealed.hash,
  };
}

function nonFiniteNotes(paths: string[]): string[] {
  return paths.map((p) => `audit: non-finite number at ${p} was written as null`);
}

/** Builds the next record entry; `head` is the chain head read under the write lock. */
export function buildRecordRow(input: AuditRecordInput, head: ChainAnchor): EntryRow {
  const { value, nonFinite } = scrubSecrets(input);
  timeMs(value.time, 'time');
  // NaN or Infinity cannot be written as JSON; dropping the whole record would lose the evidence,
  // so the number becomes null and the record says so in its errors.
  const errors = nonFinite.length ? [...(value.errors ?? []), ...nonFiniteNotes(nonFinite)] : value.errors;
  const seq = head.seq + 1;
  const id = randomUUID();
  return row(
    {
      ...value,
      errors,
      writtenAt: new Date().toISOString(),
      v: ENTRY_VERSION,
      kind: 'record',
      seq,
      id,
      prevHash: head.hash,
    },
    seq,
    id,
    head.hash,
  );
}

export function buildFeedbackRow(
  input: FeedbackInput,
  head: ChainAnchor,
  recordId: string | undefined,
  receivedAt: Date,
): EntryRow {
  // Feedback has no errors list: a non-finite number in it (only `decision` is free-form) becomes null.
  const { value } = scrubSecrets(input);
  timeMs(value.outcomeTimestamp, 'outcomeTimestamp');
  const seq = head.seq + 1;
  const id = randomUUID();
  return row(
    {
      ...value,
      v: ENTRY_VERSION,
      kind: 'feedback',
      seq,
      id,
      prevHash: head.hash,
      receivedAt: receivedAt.toISOString(),
      ...(recordId ? { recordId } : {}),
    },
    seq,
    id,
    head.hash,
  );
}

/** Parses a stored row back into the entry it holds (the body is authoritative, not the columns). */
export function rowToEntry<T>(row: Pick<EntryRow, 'body' | 'hash'>): T {
  return { ...JSON.parse(row.body), hash: row.hash } as T;
}

export interface ChainBreak {
  seq: number;
  id: string;
  reason: string;
}

/** Walks rows in seq order from an anchor; reports the first entry that does not fit. */
export class ChainWalker {
  private expectedSeq: number;
  private prevHash: string;
  count = 0;

  constructor(anchor: ChainAnchor) {
    this.expectedSeq = anchor.seq + 1;
    this.prevHash = anchor.hash;
  }

  get head(): ChainAnchor {
    return { seq: this.expectedSeq - 1, hash: this.prevHash };
  }

  check(row: EntryRow): ChainBreak | undefined {
    const at = { seq: row.seq, id: row.id };
    if (row.seq !== this.expectedSeq) {
      return { ...at, reason: `expected seq ${this.expectedSeq} here: entries are missing` };
    }
    if (sha256Hex(row.body) !== row.hash) return { ...at, reason: 'content does not match its hash' };
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(row.body);
    } catch {
      return { ...at, reason: 'body is not JSON' };
    }
    if (body.seq !== row.seq || body.id !== row.id) {
      return { ...at, reason: 'seq or id differ from the hashed content' };
    }
    if (body.prevHash !== this.prevHash || row.prev_hash !== this.prevHash) {
      return { ...at, reason: "prevHash does not match the previous entry's hash" };
    }
    if (body.v !== undefined && body.v !== ENTRY_VERSION) {
      return { ...at, reason: `unknown entry format version ${JSON.stringify(body.v)}` };
    }
    // The queries filter on columns outside the hash; a changed column could hide an entry from
    // an auditor (or relink feedback), so each must be what the hashed body says.
    const expected = indexColumns(body);
    if (!expected) return { ...at, reason: 'hashed content has no valid kind' };
    for (const [column, value] of Object.entries(expected)) {
      const stored = row[column as keyof IndexColumns];
      if (stored !== value) {
        return {
          ...at,
          reason: `column ${column} (${JSON.stringify(stored)}) differs from the hashed content`,
        };
      }
    }
    this.expectedSeq += 1;
    this.prevHash = row.hash;
    this.count += 1;
    return undefined;
  }

  /** The head row says where the chain ends; a shorter chain lost its newest entries. */
  checkEnd(head: ChainAnchor): ChainBreak | undefined {
    if (head.seq !== this.expectedSeq - 1 || head.hash !== this.prevHash) {
      return {
        seq: this.expectedSeq,
        id: '',
        reason: `chain ends at seq ${this.expectedSeq - 1} but its head is seq ${head.seq}`,
      };
    }
    return undefined;
  }
}
