// The embedded default: better-sqlite3 in WAL mode. better-sqlite3 is synchronous, so each write
// runs start to finish inside one BEGIN IMMEDIATE transaction: appends in one process never
// interleave, and a second process on the same file waits for the write lock (busy_timeout).
// That wait blocks the event loop, so it is kept short and paid once per batch, never per entry.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  AuditWriteError,
  buildFeedbackRow,
  buildRecordRow,
  ENTRY_COLUMNS,
  type EntryRow,
  rowToEntry,
} from './chain.ts';
import { MIGRATIONS_TABLE_SQL, pendingMigrations } from './schema.ts';
import { SqlAuditReader } from './sql-audit-reader.ts';
import type { ReadQuery } from './sql-chain-verify.ts';
import { GroupCommit, writeError } from './sqlite-group-commit.ts';
import type {
  AuditDatabase,
  AuditRecord,
  AuditRecordInput,
  ChainAnchor,
  FeedbackEvent,
  FeedbackInput,
  PurgeResult,
} from './types.ts';

export interface SqliteOptions {
  /** How long a write waits for another process's lock before failing (ms, default 1000). */
  busyTimeoutMs?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 1000;

const INSERT_ENTRY = `INSERT INTO audit_entries (${ENTRY_COLUMNS.join(', ')}) VALUES (${ENTRY_COLUMNS.map(
  (c) => `@${c}`,
).join(', ')})`;

interface ChainRow {
  head_seq: number;
  head_hash: string;
}

// A CDS card's uuid, or (SMART decisions) the id of the record whose assessment was shown.
const LINK_FEEDBACK = `SELECT record_id FROM audit_cards WHERE card_id = ?
  UNION ALL SELECT id AS record_id FROM audit_entries WHERE id = ? AND kind = 'record' LIMIT 1`;

/** The write path's statements, prepared once: compiling them on every append cost more than the insert. */
function prepareWrites(db: Database.Database) {
  return {
    head: db.prepare('SELECT head_seq, head_hash FROM audit_chain WHERE id = 1'),
    insertEntry: db.prepare(INSERT_ENTRY),
    moveHead: db.prepare('UPDATE audit_chain SET head_seq = ?, head_hash = ? WHERE id = 1'),
    linkCard: db.prepare('INSERT INTO audit_cards (card_id, record_id) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    linkFeedback: db.prepare(LINK_FEEDBACK),
  };
}

export class SqliteAuditStore extends SqlAuditReader implements AuditDatabase {
  private lastWriteOk = true;
  private readonly writes: ReturnType<typeof prepareWrites>;
  private readonly commits: GroupCommit;

  private constructor(private readonly db: Database.Database) {
    super();
    this.writes = prepareWrites(db);
    this.commits = new GroupCommit(db, (ok) => {
      this.lastWriteOk = ok;
    });
  }

  /** `path` is a file path or ':memory:'; the parent directory is created. */
  static open(path: string, options: SqliteOptions = {}): SqliteAuditStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    try {
      db.pragma(
        `busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`,
      );
      db.pragma('journal_mode = WAL');
      // Purged entries are overwritten with zeros, not left readable in free pages.
      db.pragma('secure_delete = ON');
      // FULL: a record whose cards were shown must survive a power cut, not only a process crash.
      db.pragma('synchronous = FULL');
      SqliteAuditStore.migrate(db);
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteAuditStore(db);
  }

  private static migrate(db: Database.Database): void {
    db.transaction(() => {
      db.exec(MIGRATIONS_TABLE_SQL);
      const applied = db.prepare('SELECT version FROM audit_migrations').all() as Array<{ version: number }>;
      for (const m of pendingMigrations(applied.map((a) => a.version))) {
        for (const sql of m.statements('sqlite')) db.exec(sql);
        db.prepare('INSERT INTO audit_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
          m.version,
          m.name,
          new Date().toISOString(),
        );
      }
    }).immediate();
  }

  // The reader's queries are a fixed set of texts (a patient-view reads the chart review's snoozes
  // on every call): each is compiled once. The cap only guards against a caller building SQL text.
  private readonly reads = new Map<string, Database.Statement>();

  protected async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    let statement = this.reads.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.reads.size < 200) this.reads.set(sql, statement);
    }
    return statement.all(...params) as T[];
  }

  protected async snapshot<T>(fn: (q: ReadQuery) => Promise<T>): Promise<T> {
    // A file database gets its own read connection, whose transaction holds one WAL snapshot while
    // this connection keeps writing. An in-memory database has no other writer than this process.
    if (this.db.memory) return fn((sql, params = []) => this.all(sql, params));
    const reader = new Database(this.db.name, { readonly: true, fileMustExist: true });
    try {
      reader.exec('BEGIN');
      const q: ReadQuery = async <R>(sql: string, params: unknown[] = []) =>
        reader.prepare(sql).all(...params) as R[];
      const result = await fn(q);
      reader.exec('COMMIT');
      return result;
    } finally {
      reader.close();
    }
  }

  private write<T>(fn: () => T): T {
    try {
      const result = this.db.transaction(fn).immediate();
      this.lastWriteOk = true;
      return result;
    } catch (err) {
      this.lastWriteOk = false;
      throw writeError(err);
    }
  }

  private head(): ChainAnchor {
    const row = this.writes.head.get() as ChainRow;
    return { seq: row.head_seq, hash: row.head_hash };
  }

  private insert(row: EntryRow): void {
    this.writes.insertEntry.run(row);
    this.writes.moveHead.run(row.seq, row.hash);
  }

  async append(record: AuditRecordInput): Promise<AuditRecord> {
    const row = await this.commits.enqueue(() => {
      const row = buildRecordRow(record, this.head());
      this.insert(row);
      for (const cardId of new Set(record.cardIds ?? [])) this.writes.linkCard.run(cardId, row.id);
      return row;
    });
    return rowToEntry<AuditRecord>(row);
  }

  private insertFeedback(feedback: FeedbackInput, receivedAt: Date): EntryRow {
    const link = this.writes.linkFeedback.get(feedback.cardId, feedback.cardId) as
      | { record_id: string }
      | undefined;
    const row = buildFeedbackRow(feedback, this.head(), link?.record_id, receivedAt);
    this.insert(row);
    return row;
  }

  async appendFeedback(feedback: FeedbackInput): Promise<FeedbackEvent> {
    const row = await this.commits.enqueue(() => this.insertFeedback(feedback, new Date()));
    return rowToEntry<FeedbackEvent>(row);
  }

  async appendFeedbackBatch(items: FeedbackInput[]): Promise<FeedbackEvent[]> {
    if (items.length === 0) return [];
    // One savepoint for the lot: any item failing rolls every one of them back.
    const rows = await this.commits.enqueue(() => {
      const receivedAt = new Date();
      return items.map((f) => this.insertFeedback(f, receivedAt));
    });
    return rows.map((row) => rowToEntry<FeedbackEvent>(row));
  }

  async purge(before: Date): Promise<PurgeResult> {
    const check = await this.verifyChain();
    if (!check.ok) throw new AuditWriteError(`refusing to purge: chain broken at seq ${check.broken.seq}`);
    const result = this.write(() => {
      const state = toState(this.db.prepare('SELECT * FROM audit_chain WHERE id = 1').get() as FullChainRow);
      const first = this.db
        .prepare('SELECT MIN(seq) AS seq FROM audit_entries WHERE time_ms >= ?')
        .get(before.getTime()) as { seq: number | null };
      const cut = first.seq === null ? state.head.seq : first.seq - 1;
      if (cut <= state.anchor.seq) return { purged: 0 };
      const last = this.db.prepare('SELECT hash FROM audit_entries WHERE seq = ?').get(cut) as {
        hash: string;
      };
      this.db
        .prepare(
          "DELETE FROM audit_cards WHERE record_id IN (SELECT id FROM audit_entries WHERE seq <= ? AND kind = 'record')",
        )
        .run(cut);
      const purged = this.db.prepare('DELETE FROM audit_entries WHERE seq <= ?').run(cut).changes;
      this.db
        .prepare('UPDATE audit_chain SET anchor_seq = ?, anchor_hash = ? WHERE id = 1')
        .run(cut, last.hash);
      this.db
        .prepare('INSERT INTO audit_purges (purged_at, up_to_seq, anchor_hash, purged) VALUES (?, ?, ?, ?)')
        .run(new Date().toISOString(), cut, last.hash, purged);
      return { purged, anchor: { seq: cut, hash: last.hash } };
    });
    // secure_delete zeroed the pages, but the WAL still holds old copies until it is checkpointed
    // and emptied. A busy checkpoint (a reader in the way) is retried by the next purge.
    if (result.purged > 0) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return result;
  }

  async healthy(): Promise<boolean> {
    // A write probe: SQLite can answer reads while writes fail (locked, read-only, disk full).
    try {
      this.write(() => this.db.prepare('UPDATE audit_chain SET head_seq = head_seq WHERE id = 1').run());
    } catch {
      // lastWriteOk is already false.
    }
    return this.lastWriteOk;
  }

  async close(): Promise<void> {
    // Entries already accepted are written (or rejected) before the connection goes away.
    this.commits.close();
    if (this.db.open) this.db.close();
  }
}

interface FullChainRow extends ChainRow {
  anchor_seq: number;
  anchor_hash: string;
}

function toState(row: FullChainRow): { head: ChainAnchor; anchor: ChainAnchor } {
  return {
    head: { seq: Number(row.head_seq), hash: row.head_hash },
    anchor: { seq: Number(row.anchor_seq), hash: row.anchor_hash },
  };
}
