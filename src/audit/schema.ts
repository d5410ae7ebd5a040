// Versioned schema migrations for both stores. Each version runs once, in a transaction, and is
// recorded in audit_migrations; a store refuses to open a database newer than it knows.
import { GENESIS_HASH } from './chain.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  version: number;
  name: string;
  statements: (dialect: Dialect) => string[];
}

export const MIGRATIONS_TABLE_SQL =
  'CREATE TABLE IF NOT EXISTS audit_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'hash-chained entries, card index, chain head',
    statements: (dialect) => {
      // In SQLite only INTEGER PRIMARY KEY is the rowid, the fastest key for an append-only table.
      const seqType = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
      return [
        `CREATE TABLE audit_entries (
          seq ${seqType} PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('record', 'feedback')),
          time_ms BIGINT NOT NULL,
          service TEXT,
          patient TEXT,
          model TEXT,
          fallback INTEGER NOT NULL DEFAULT 0,
          silent INTEGER NOT NULL DEFAULT 0,
          record_id TEXT,
          card_id TEXT,
          outcome TEXT,
          body TEXT NOT NULL,
          prev_hash TEXT NOT NULL,
          hash TEXT NOT NULL
        )`,
        'CREATE INDEX audit_entries_kind_time ON audit_entries (kind, time_ms)',
        'CREATE INDEX audit_entries_record ON audit_entries (record_id)',
        'CREATE INDEX audit_entries_patient ON audit_entries (patient)',
        'CREATE TABLE audit_cards (card_id TEXT PRIMARY KEY, record_id TEXT NOT NULL)',
        'CREATE INDEX audit_cards_record ON audit_cards (record_id)',
        `CREATE TABLE audit_chain (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          head_seq BIGINT NOT NULL,
          head_hash TEXT NOT NULL,
          anchor_seq BIGINT NOT NULL,
          anchor_hash TEXT NOT NULL
        )`,
        `INSERT INTO audit_chain (id, head_seq, head_hash, anchor_seq, anchor_hash)
          VALUES (1, 0, '${GENESIS_HASH}', 0, '${GENESIS_HASH}')`,
        `CREATE TABLE audit_purges (
          purged_at TEXT NOT NULL,
          up_to_seq BIGINT NOT NULL,
          anchor_hash TEXT NOT NULL,
          purged INTEGER NOT NULL
        )`,
      ];
    },
  },
];

const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export function pendingMigrations(applied: number[]): Migration[] {
  const newest = Math.max(0, ...applied);
  if (newest > LATEST_VERSION) {
    throw new Error(
      `audit database schema version ${newest} is newer than this CiteCare knows (${LATEST_VERSION})`,
    );
  }
  const done = new Set(applied);
  return MIGRATIONS.filter((m) => !done.has(m.version));
}
