// Queries shared by the SQLite and PostgreSQL stores. SQL is written once with `?` placeholders;
// each store runs it through `all` (PostgreSQL numbers the placeholders).
import { rowToEntry } from './chain.ts';
import { computeMetrics, latestOutcomes } from './metrics.ts';
import { type ReadQuery, verifyChainIn } from './sql-chain-verify.ts';
import { encodeCursor, InvalidFilterError, recordWhere } from './sql-record-filter.ts';
import type {
  AuditEntry,
  AuditMetrics,
  AuditReader,
  AuditRecord,
  AuditRecordDetail,
  AuditRecordFilter,
  AuditRecordPage,
  AuditRecordSummary,
  ChainVerification,
  FeedbackEvent,
  MetricsFilter,
  PurgeResult,
} from './types.ts';

const PAGE = 500;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

interface BodyRow {
  seq: number;
  id: string;
  body: string;
  hash: string;
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
  /** Runs `fn` with queries that all see one consistent snapshot of the database. */
  protected abstract snapshot<T>(fn: (q: ReadQuery) => Promise<T>): Promise<T>;
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

  async overriddenSince(patient: string, since: Date): Promise<AuditRecordDetail[]> {
    // Starts from the (few) recent overrides, not from the patient's (many) records.
    const ref = patient.includes('/') ? patient : `Patient/${patient}`;
    const rows = await this.all<BodyRow>(
      `SELECT DISTINCT r.seq, r.id, r.body, r.hash FROM audit_entries f JOIN audit_entries r ON r.id = f.record_id
       WHERE f.kind = 'feedback' AND f.outcome = 'overridden' AND f.time_ms >= ? AND r.patient = ? ORDER BY r.seq`,
      [since.getTime(), ref],
    );
    if (rows.length === 0) return [];
    const feedback = await this.feedbackFor(rows.map((r) => r.id));
    return rows.map((row) => {
      const record = rowToEntry<AuditRecord>(row);
      return { record, feedback: feedback.filter((f) => f.recordId === record.id) };
    });
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
    // One snapshot: a purge or append committing while we walk must not look like a gap.
    return this.snapshot((q) => verifyChainIn(q));
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
