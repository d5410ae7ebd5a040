// Queries shared by the SQLite and PostgreSQL stores. SQL is written once with `?` placeholders;
// each store runs it through `all` (PostgreSQL numbers the placeholders).
import { type ChainBreak, ChainWalker, ENTRY_COLUMNS, type EntryRow, rowToEntry } from './chain.ts';
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

/** Runs one read query (`?` placeholders). */
export type ReadQuery = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

interface ChainRow {
  head_seq: number;
  head_hash: string;
  anchor_seq: number;
  anchor_hash: string;
}

export async function readChainState(q: ReadQuery): Promise<ChainState> {
  const [row] = await q<ChainRow>(
    'SELECT head_seq, head_hash, anchor_seq, anchor_hash FROM audit_chain WHERE id = 1',
  );
  return {
    head: { seq: Number(row.head_seq), hash: row.head_hash },
    anchor: { seq: Number(row.anchor_seq), hash: row.anchor_hash },
  };
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
  // As in the metrics, a card's latest feedback decides its outcome: no later feedback on that card.
  const latest = `NOT EXISTS (SELECT 1 FROM audit_entries g WHERE g.kind = 'feedback' AND g.record_id = e.id
    AND g.card_id = f.card_id AND g.seq > f.seq)`;
  if (filter.outcome === 'none') parts.push(`NOT EXISTS (${feedbackOf})`);
  else if (filter.outcome) add(`EXISTS (${feedbackOf} AND f.outcome = ? AND ${latest})`, filter.outcome);
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
    return this.snapshot((q) => verifyInSnapshot(q));
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

type WalkRow = EntryRow & { cardIds?: unknown };

/** The chain walk proper; every query runs in the caller's snapshot. */
async function verifyInSnapshot(q: ReadQuery): Promise<ChainVerification> {
  const state = await readChainState(q);
  const fail = (broken: ChainBreak, entries: number): ChainVerification => ({ ok: false, entries, broken });
  const anchorBreak = await checkAnchor(q, state.anchor);
  if (anchorBreak) return fail(anchorBreak, 0);
  const walker = new ChainWalker(state.anchor);
  let after = -1;
  for (;;) {
    const rows = await q<WalkRow>(
      `SELECT ${ENTRY_COLUMNS.join(', ')} FROM audit_entries WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
      [after, state.head.seq, PAGE],
    );
    for (const row of rows) {
      const broken = walker.check(row);
      if (broken) return fail(broken, walker.count);
    }
    const linkBreak = await checkCardLinks(q, rows);
    if (linkBreak) return fail(linkBreak, walker.count);
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1].seq;
  }
  const end = walker.checkEnd(state.head);
  if (end) return fail(end, walker.count);
  const orphan = await q<{ card_id: string; record_id: string }>(
    `SELECT c.card_id, c.record_id FROM audit_cards c
      WHERE NOT EXISTS (SELECT 1 FROM audit_entries e WHERE e.id = c.record_id AND e.kind = 'record') LIMIT 1`,
  );
  if (orphan.length > 0) {
    const o = orphan[0];
    return fail(
      {
        seq: 0,
        id: o.record_id,
        reason: `card ${o.card_id} is linked to ${o.record_id}, which is no record`,
      },
      walker.count,
    );
  }
  return {
    ok: true,
    entries: walker.count,
    head: state.head,
    ...(state.anchor.seq > 0 ? { anchor: state.anchor } : {}),
  };
}

/** A purge writes its anchor and a purge row together; an anchor without that row was forged. */
async function checkAnchor(q: ReadQuery, anchor: ChainAnchor): Promise<ChainBreak | undefined> {
  const [last] = await q<{ up_to_seq: number; anchor_hash: string }>(
    'SELECT up_to_seq, anchor_hash FROM audit_purges ORDER BY up_to_seq DESC LIMIT 1',
  );
  if (!last && anchor.seq === 0) return undefined;
  if (last && Number(last.up_to_seq) === anchor.seq && last.anchor_hash === anchor.hash) return undefined;
  return {
    seq: anchor.seq,
    id: '',
    reason: last
      ? `chain anchor seq ${anchor.seq} does not match the last purge (up to seq ${last.up_to_seq})`
      : `chain starts after seq ${anchor.seq} but no purge was recorded`,
  };
}

/** Card links (feedback linking, recordForCard) must match each record's hashed cardIds. */
async function checkCardLinks(q: ReadQuery, rows: EntryRow[]): Promise<ChainBreak | undefined> {
  const records = rows.filter((r) => r.kind === 'record');
  if (records.length === 0) return undefined;
  const cardsOf = new Map<string, string[]>();
  for (const r of records) {
    const ids = (JSON.parse(r.body) as { cardIds?: unknown }).cardIds;
    cardsOf.set(r.id, Array.isArray(ids) ? ids.filter((c): c is string => typeof c === 'string') : []);
  }
  const allCards = [...new Set([...cardsOf.values()].flat())];
  const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
  const links = await q<{ card_id: string; record_id: string }>(
    `SELECT card_id, record_id FROM audit_cards WHERE record_id IN (${marks(records.length)})${
      allCards.length ? ` OR card_id IN (${marks(allCards.length)})` : ''
    }`,
    [...records.map((r) => r.id), ...allCards],
  );
  const byCard = new Map(links.map((l) => [l.card_id, l.record_id]));
  for (const r of records) {
    const at = { seq: r.seq, id: r.id };
    const cards = cardsOf.get(r.id) ?? [];
    for (const l of links) {
      if (l.record_id === r.id && !cards.includes(l.card_id)) {
        return { ...at, reason: `card ${l.card_id} is linked to this record but not in its hashed cardIds` };
      }
    }
    for (const card of cards) {
      const owner = byCard.get(card);
      if (owner === r.id) continue;
      // A card uuid seen twice stays linked to the first record that returned it.
      const earlier = owner
        ? await q<{ seq: number; body: string }>(
            "SELECT seq, body FROM audit_entries WHERE id = ? AND kind = 'record'",
            [owner],
          )
        : [];
      const first = earlier[0];
      const ok =
        first &&
        Number(first.seq) < r.seq &&
        ((JSON.parse(first.body) as { cardIds?: unknown }).cardIds as unknown[] | undefined)?.includes(card);
      if (!ok) return { ...at, reason: `card ${card} is not linked to this record` };
    }
  }
  return undefined;
}
