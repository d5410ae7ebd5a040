// Queries shared by the SQLite and PostgreSQL stores. SQL is written once with `?` placeholders;
// each store runs it through `all` (PostgreSQL numbers the placeholders).
import { ChainWalker, rowToEntry } from './chain.ts';
import { computeMetrics, latestOutcomes } from './metrics.ts';
import type {
  AuditEntry,
  AuditMetrics,
  AuditReader,
  AuditRecord,
  AuditRecordDetail,
  AuditRecordFilter,
  AuditRecordPage,
  AuditRecordSummary,
  ChainAnchor,
  ChainVerification,
  FeedbackEvent,
  MetricsFilter,
  PurgeResult,
} from './types.ts';

const PAGE = 500;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

export interface ChainState {
  head: ChainAnchor;
  anchor: ChainAnchor;
}

interface BodyRow {
  seq: number;
  id: string;
  body: string;
  hash: string;
}

export class InvalidFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFilterError';
  }
}

function parseTime(iso: string, name: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new InvalidFilterError(`${name} is not an ISO-8601 time`);
  return ms;
}

export function encodeCursor(seq: number): string {
  return Buffer.from(`s${seq}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^s(\d{1,15})$/.exec(text);
  if (!m) throw new InvalidFilterError('cursor is not valid');
  return Number(m[1]);
}

/** WHERE clause (alias `e`) over record rows for a filter; the outcome test uses feedback rows. */
export function recordWhere(filter: AuditRecordFilter): { sql: string; params: unknown[] } {
  const parts = ["e.kind = 'record'"];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    parts.push(sql);
    params.push(...values);
  };
  if (filter.from) add('e.time_ms >= ?', parseTime(filter.from, 'from'));
  if (filter.to) add('e.time_ms < ?', parseTime(filter.to, 'to'));
  if (filter.service) add('e.service = ?', filter.service);
  if (filter.patient) {
    const ref = filter.patient.includes('/') ? filter.patient : `Patient/${filter.patient}`;
    add('e.patient = ?', ref);
  }
  if (filter.model) add('e.model = ?', filter.model);
  if (filter.fallback !== undefined) add('e.fallback = ?', filter.fallback ? 1 : 0);
  if (filter.silent !== undefined) add('e.silent = ?', filter.silent ? 1 : 0);
  if (filter.cursor) add('e.seq < ?', decodeCursor(filter.cursor));
  const feedbackOf = "SELECT 1 FROM audit_entries f WHERE f.kind = 'feedback' AND f.record_id = e.id";
  if (filter.outcome === 'none') parts.push(`NOT EXISTS (${feedbackOf})`);
  else if (filter.outcome) add(`EXISTS (${feedbackOf} AND f.outcome = ?)`, filter.outcome);
  return { sql: parts.join(' AND '), params };
}

function summarize(record: AuditRecord, feedback: FeedbackEvent[]): AuditRecordSummary {
  const outcomes = [...latestOutcomes(feedback).values()];
  const total = record.timings?.total;
  return {
    id: record.id,
    seq: record.seq,
    time: record.time,
    channel: record.channel,
    service: record.service,
    hook: record.hook,
    user: record.user,
    patient: record.patient,
    model: record.llm?.model,
    llmStatus: record.llm?.status,
    fallback: record.fallback,
    silent: record.silent,
    cardCount: record.cards?.length ?? 0,
    accepted: outcomes.filter((f) => f.outcome === 'accepted').length,
    overridden: outcomes.filter((f) => f.outcome === 'overridden').length,
    totalMs: typeof total === 'number' ? total : undefined,
    errorCount: record.errors?.length ?? 0,
  };
}

export abstract class SqlAuditReader implements AuditReader {
  protected abstract all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  protected abstract chainState(): Promise<ChainState>;
  abstract purge(before: Date): Promise<PurgeResult>;

  async list(filter: AuditRecordFilter = {}): Promise<AuditRecordPage> {
    const limit = filter.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidFilterError(`limit must be an integer from 1 to ${MAX_LIMIT}`);
    }
    const where = recordWhere(filter);
    const rows = await this.all<BodyRow>(
      `SELECT e.seq, e.id, e.body, e.hash FROM audit_entries e WHERE ${where.sql} ORDER BY e.seq DESC LIMIT ?`,
      [...where.params, limit + 1],
    );
    const page = rows.slice(0, limit);
    const feedback = await this.feedbackFor(page.map((r) => r.id));
    const records = page.map((row) => {
      const record = rowToEntry<AuditRecord>(row);
      return summarize(
        record,
        feedback.filter((f) => f.recordId === record.id),
      );
    });
    return {
      records,
      ...(rows.length > limit ? { nextCursor: encodeCursor(page[page.length - 1].seq) } : {}),
    };
  }

  async get(id: string): Promise<AuditRecordDetail | undefined> {
    const rows = await this.all<BodyRow>(
      "SELECT seq, id, body, hash FROM audit_entries WHERE id = ? AND kind = 'record'",
      [id],
    );
    if (rows.length === 0) return undefined;
    return { record: rowToEntry<AuditRecord>(rows[0]), feedback: await this.feedbackFor([id]) };
  }

  async recordForCard(cardId: string): Promise<AuditRecord | undefined> {
    const rows = await this.all<BodyRow>(
      `SELECT e.seq, e.id, e.body, e.hash FROM audit_cards c JOIN audit_entries e ON e.id = c.record_id
        WHERE c.card_id = ? AND e.kind = 'record'`,
      [cardId],
    );
    return rows.length === 0 ? undefined : rowToEntry<AuditRecord>(rows[0]);
  }

  async metrics(filter: MetricsFilter = {}): Promise<AuditMetrics> {
    const where = recordWhere({ ...filter, outcome: undefined, cursor: undefined });
    const recordRows = await this.all<BodyRow>(
      `SELECT e.seq, e.id, e.body, e.hash FROM audit_entries e WHERE ${where.sql} ORDER BY e.seq`,
      where.params,
    );
    const feedbackRows = await this.all<BodyRow>(
      `SELECT f.seq, f.id, f.body, f.hash FROM audit_entries f WHERE f.kind = 'feedback'
        AND f.record_id IN (SELECT e.id FROM audit_entries e WHERE ${where.sql}) ORDER BY f.seq`,
      where.params,
    );
    return computeMetrics(
      recordRows.map((r) => rowToEntry<AuditRecord>(r)),
      feedbackRows.map((r) => rowToEntry<FeedbackEvent>(r)),
    );
  }

  async *entries(): AsyncIterable<AuditEntry> {
    let after = -1;
    for (;;) {
      const rows = await this.all<BodyRow>(
        'SELECT seq, id, body, hash FROM audit_entries WHERE seq > ? ORDER BY seq LIMIT ?',
        [after, PAGE],
      );
      for (const row of rows) yield rowToEntry<AuditEntry>(row);
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1].seq;
    }
  }

  async verifyChain(): Promise<ChainVerification> {
    // Read the head first: entries appended while we walk are beyond it and are not judged.
    const state = await this.chainState();
    const walker = new ChainWalker(state.anchor);
    let after = -1;
    for (;;) {
      const rows = await this.all<BodyRow & { prev_hash: string }>(
        'SELECT seq, id, body, prev_hash, hash FROM audit_entries WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?',
        [after, state.head.seq, PAGE],
      );
      for (const row of rows) {
        const broken = walker.check(row);
        if (broken) return { ok: false, entries: walker.count, broken };
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].seq;
    }
    const end = walker.checkEnd(state.head);
    if (end) return { ok: false, entries: walker.count, broken: end };
    return {
      ok: true,
      entries: walker.count,
      head: state.head,
      ...(state.anchor.seq > 0 ? { anchor: state.anchor } : {}),
    };
  }

  protected async feedbackFor(recordIds: string[]): Promise<FeedbackEvent[]> {
    if (recordIds.length === 0) return [];
    const rows = await this.all<BodyRow>(
      `SELECT seq, id, body, hash FROM audit_entries WHERE kind = 'feedback'
        AND record_id IN (${recordIds.map(() => '?').join(', ')}) ORDER BY seq`,
      recordIds,
    );
    return rows.map((r) => rowToEntry<FeedbackEvent>(r));
  }
}
