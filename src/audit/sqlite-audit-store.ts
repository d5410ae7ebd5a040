// The embedded default: better-sqlite3 in WAL mode. better-sqlite3 is synchronous, so each write
// runs start to finish inside one BEGIN IMMEDIATE transaction: appends in one process never
// interleave, and a second process on the same file waits for the write lock (busy_timeout).
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
import { type ChainState, SqlAuditReader } from './sql-audit-reader.ts';
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
  /** How long a write waits for another process's lock before failing (ms). */
  busyTimeoutMs?: number;
}

const INSERT_ENTRY = `INSERT INTO audit_entries (${ENTRY_COLUMNS.join(', ')}) VALUES (${ENTRY_COLUMNS.map(
  (c) => `@${c}`,
).join(', ')})`;

interface ChainRow {
  head_seq: number;
  head_hash: string;
  anchor_seq: number;
  anchor_hash: string;
}

// A CDS card's uuid, or (SMART decisions) the id of the record whose assessment was shown.
const LINK_FEEDBACK = `SELECT record_id FROM audit_cards WHERE card_id = ?
  UNION ALL SELECT id AS record_id FROM audit_entries WHERE id = ? AND kind = 'record' LIMIT 1`;

export class SqliteAuditStore extends SqlAuditReader implements AuditDatabase {
  private lastWriteOk = true;

  private constructor(private readonly db: Database.Database) {
    super();
  }

  /** `path` is a file path or ':memory:'; the parent directory is created. */
  static open(path: string, options: SqliteOptions = {}): SqliteAuditStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
      db.pragma('journal_mode = WAL');
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

  protected async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.db.prepare(sql).all(...params) as T[];
  }

  protected async chainState(): Promise<ChainState> {
    return toState(this.db.prepare('SELECT * FROM audit_chain WHERE id = 1').get() as ChainRow);
  }

  private write<T>(fn: () => T): T {
    try {
      const result = this.db.transaction(fn).immediate();
      this.lastWriteOk = true;
      return result;
    } catch (err) {
      this.lastWriteOk = false;
      throw new AuditWriteError(`audit write failed: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Group commit: appends issued while the event loop is busy are written in one transaction,
   * so one fsync (synchronous=FULL) covers many records and every caller still waits until its
   * record is durable. A failed batch is retried entry by entry, so one bad entry fails alone.
   */
  private batch: Array<{ fn: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }> =
    [];

  private enqueue<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.batch.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (this.batch.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.batch.splice(0);
    if (batch.length === 0) return;
    if (batch.length > 1) {
      try {
        const results = this.db.transaction(() => batch.map((b) => b.fn())).immediate();
        this.lastWriteOk = true;
        batch.forEach((b, i) => {
          b.resolve(results[i]);
        });
        return;
      } catch {
        // fall through: retry one by one
      }
    }
    for (const b of batch) {
      try {
        b.resolve(this.write(b.fn));
      } catch (err) {
        b.reject(err);
      }
    }
  }

  private head(): ChainAnchor {
    const row = this.db.prepare('SELECT head_seq, head_hash FROM audit_chain WHERE id = 1').get() as ChainRow;
    return { seq: row.head_seq, hash: row.head_hash };
  }

  private insert(row: EntryRow): void {
    this.db.prepare(INSERT_ENTRY).run(row);
    this.db.prepare('UPDATE audit_chain SET head_seq = ?, head_hash = ? WHERE id = 1').run(row.seq, row.hash);
  }

  async append(record: AuditRecordInput): Promise<AuditRecord> {
    const row = await this.enqueue(() => {
      const row = buildRecordRow(record, this.head());
      this.insert(row);
      const link = this.db.prepare(
        'INSERT INTO audit_cards (card_id, record_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
      );
      for (const cardId of new Set(record.cardIds ?? [])) link.run(cardId, row.id);
      return row;
    });
    return rowToEntry<AuditRecord>(row);
  }

  async appendFeedback(feedback: FeedbackInput): Promise<FeedbackEvent> {
    const row = await this.enqueue(() => {
      const link = this.db.prepare(LINK_FEEDBACK).get(feedback.cardId, feedback.cardId) as
        | { record_id: string }
        | undefined;
      const row = buildFeedbackRow(feedback, this.head(), link?.record_id, new Date());
      this.insert(row);
      return row;
    });
    return rowToEntry<FeedbackEvent>(row);
  }

  async purge(before: Date): Promise<PurgeResult> {
    const check = await this.verifyChain();
    if (!check.ok) throw new AuditWriteError(`refusing to purge: chain broken at seq ${check.broken.seq}`);
    return this.write(() => {
      const state = toState(this.db.prepare('SELECT * FROM audit_chain WHERE id = 1').get() as ChainRow);
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
    if (this.db.open) this.db.close();
  }
}

function toState(row: ChainRow): ChainState {
  return {
    head: { seq: Number(row.head_seq), hash: row.head_hash },
    anchor: { seq: Number(row.anchor_seq), hash: row.anchor_hash },
  };
}
