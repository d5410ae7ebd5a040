// PostgreSQL for several instances. Every chain write locks the single chain-head row
// (SELECT ... FOR UPDATE) inside its transaction, so appends from any number of pools,
// processes or hosts are serialized and the chain never forks.
import pg from 'pg';
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
import type {
  AuditDatabase,
  AuditRecord,
  AuditRecordInput,
  ChainAnchor,
  FeedbackEvent,
  FeedbackInput,
  PurgeResult,
} from './types.ts';

export interface PostgresOptions {
  /** Pool size (default 10). */
  max?: number;
  /** Fails a write that cannot get a connection in time (ms). */
  connectionTimeoutMillis?: number;
  /** Upper bound for one statement, so a stuck lock fails the write instead of hanging a hook (ms). */
  statementTimeoutMs?: number;
}

const INT8_OID = 20;
// Sequence numbers and epoch milliseconds stay far below 2^53, so int8 can be a JS number.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

// Arbitrary constant: serializes schema migrations of instances starting at the same time.
const MIGRATION_LOCK = 727_310_001;

const INSERT_ENTRY = `INSERT INTO audit_entries (${ENTRY_COLUMNS.join(', ')}) VALUES (${ENTRY_COLUMNS.map(
  (_, i) => `$${i + 1}`,
).join(', ')})`;

/** Turns `?` placeholders into `$1..$n` (our SQL has no `?` inside literals). */
export function numberPlaceholders(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

type Tx = pg.PoolClient;

export class PostgresAuditStore extends SqlAuditReader implements AuditDatabase {
  private lastWriteOk = true;

  private constructor(private readonly pool: pg.Pool) {
    super();
  }

  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresAuditStore> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5000,
      statement_timeout: options.statementTimeoutMs ?? 10_000,
      types,
    });
    // A client losing its server (restart, failover, pg_terminate_backend) must not crash the
    // process, idle or checked out: the query in flight, or the next one, reports the failure.
    pool.on('error', () => {});
    pool.on('connect', (client) => {
      client.on('error', () => {});
    });
    const store = new PostgresAuditStore(pool);
    try {
      await store.migrate();
    } catch (err) {
      await pool.end();
      throw err;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (tx) => {
      // A migration may wait for another instance's migration and may rewrite a large table; the
      // pool's statement_timeout is meant for hook-time writes, not for this.
      await tx.query('SET LOCAL statement_timeout = 0');
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await tx.query(MIGRATIONS_TABLE_SQL);
      const applied = await tx.query<{ version: number }>('SELECT version FROM audit_migrations');
      for (const m of pendingMigrations(applied.rows.map((r) => r.version))) {
        for (const sql of m.statements('postgres')) await tx.query(sql);
        await tx.query('INSERT INTO audit_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          new Date().toISOString(),
        ]);
      }
    });
  }

  protected async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.pool.query(numberPlaceholders(sql), params);
    return result.rows as T[];
  }

  protected async snapshot<T>(fn: (q: ReadQuery) => Promise<T>): Promise<T> {
    // REPEATABLE READ: every query sees the database as of the first one, whatever commits meanwhile.
    return this.transaction(
      (client) =>
        fn(
          async <R>(sql: string, params: unknown[] = []) =>
            (await client.query(numberPlaceholders(sql), params)).rows as R[],
        ),
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  private async transaction<T>(fn: (tx: Tx) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  private async write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      const result = await this.transaction(fn);
      this.lastWriteOk = true;
      return result;
    } catch (err) {
      this.lastWriteOk = false;
      throw new AuditWriteError(`audit write failed: ${(err as Error).message}`, { cause: err });
    }
  }

  private async lockHead(tx: Tx): Promise<ChainAnchor> {
    const r = await tx.query<{ head_seq: number; head_hash: string }>(
      'SELECT head_seq, head_hash FROM audit_chain WHERE id = 1 FOR UPDATE',
    );
    return { seq: r.rows[0].head_seq, hash: r.rows[0].head_hash };
  }

  private async insert(tx: Tx, row: EntryRow): Promise<void> {
    await tx.query(
      INSERT_ENTRY,
      ENTRY_COLUMNS.map((c) => row[c]),
    );
    await tx.query('UPDATE audit_chain SET head_seq = $1, head_hash = $2 WHERE id = 1', [row.seq, row.hash]);
  }

  async append(record: AuditRecordInput): Promise<AuditRecord> {
    const row = await this.write(async (tx) => {
      const row = buildRecordRow(record, await this.lockHead(tx));
      await this.insert(tx, row);
      const cardIds = [...new Set(record.cardIds ?? [])];
      if (cardIds.length > 0) {
        await tx.query(
          'INSERT INTO audit_cards (card_id, record_id) SELECT c, $2 FROM unnest($1::text[]) AS c ON CONFLICT DO NOTHING',
          [cardIds, row.id],
        );
      }
      return row;
    });
    return rowToEntry<AuditRecord>(row);
  }

  private async insertFeedback(
    tx: Tx,
    head: ChainAnchor,
    feedback: FeedbackInput,
    at: Date,
  ): Promise<EntryRow> {
    const link = await tx.query<{ record_id: string }>(
      // A CDS card's uuid, or (SMART decisions) the id of the record whose assessment was shown.
      `SELECT record_id FROM audit_cards WHERE card_id = $1
       UNION ALL SELECT id AS record_id FROM audit_entries WHERE id = $1 AND kind = 'record' LIMIT 1`,
      [feedback.cardId],
    );
    const row = buildFeedbackRow(feedback, head, link.rows[0]?.record_id, at);
    await this.insert(tx, row);
    return row;
  }

  async appendFeedback(feedback: FeedbackInput): Promise<FeedbackEvent> {
    const row = await this.write(async (tx) =>
      this.insertFeedback(tx, await this.lockHead(tx), feedback, new Date()),
    );
    return rowToEntry<FeedbackEvent>(row);
  }

  async appendFeedbackBatch(items: FeedbackInput[]): Promise<FeedbackEvent[]> {
    if (items.length === 0) return [];
    const rows = await this.write(async (tx) => {
      let head = await this.lockHead(tx);
      const at = new Date();
      const out: EntryRow[] = [];
      for (const f of items) {
        const row = await this.insertFeedback(tx, head, f, at);
        head = { seq: row.seq, hash: row.hash };
        out.push(row);
      }
      return out;
    });
    return rows.map((row) => rowToEntry<FeedbackEvent>(row));
  }

  async purge(before: Date): Promise<PurgeResult> {
    const check = await this.verifyChain();
    if (!check.ok) throw new AuditWriteError(`refusing to purge: chain broken at seq ${check.broken.seq}`);
    return this.write(async (tx) => {
      const head = await this.lockHead(tx);
      const anchorRow = await tx.query<{ anchor_seq: number }>(
        'SELECT anchor_seq FROM audit_chain WHERE id = 1',
      );
      const first = await tx.query<{ seq: number | null }>(
        'SELECT MIN(seq) AS seq FROM audit_entries WHERE time_ms >= $1',
        [before.getTime()],
      );
      const firstKept = first.rows[0].seq;
      const cut = firstKept === null ? head.seq : firstKept - 1;
      if (cut <= anchorRow.rows[0].anchor_seq) return { purged: 0 };
      const last = await tx.query<{ hash: string }>('SELECT hash FROM audit_entries WHERE seq = $1', [cut]);
      const hash = last.rows[0].hash;
      await tx.query(
        "DELETE FROM audit_cards WHERE record_id IN (SELECT id FROM audit_entries WHERE seq <= $1 AND kind = 'record')",
        [cut],
      );
      const deleted = await tx.query('DELETE FROM audit_entries WHERE seq <= $1', [cut]);
      await tx.query('UPDATE audit_chain SET anchor_seq = $1, anchor_hash = $2 WHERE id = 1', [cut, hash]);
      await tx.query(
        'INSERT INTO audit_purges (purged_at, up_to_seq, anchor_hash, purged) VALUES ($1, $2, $3, $4)',
        [new Date().toISOString(), cut, hash, deleted.rowCount ?? 0],
      );
      return { purged: deleted.rowCount ?? 0, anchor: { seq: cut, hash } };
    });
  }

  async healthy(): Promise<boolean> {
    try {
      await this.write((tx) => tx.query('UPDATE audit_chain SET head_seq = head_seq WHERE id = 1'));
    } catch {
      // lastWriteOk is already false.
    }
    return this.lastWriteOk;
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}
