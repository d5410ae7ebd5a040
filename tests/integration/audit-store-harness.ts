// Store harnesses for the shared suites: a temporary SQLite file, or a throwaway PostgreSQL database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import { numberPlaceholders } from '../../src/audit/postgres-audit-store.ts';
import { createThrowawayDatabase } from '../helpers/pg.ts';
import type { StoreHarness } from './audit-store-fixtures.ts';

export async function sqliteHarness(): Promise<StoreHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'citecare-audit-'));
  const url = `sqlite:${join(dir, 'nested', 'audit.db')}`;
  const store = await openAuditStore(url);
  const raw = new Database(join(dir, 'nested', 'audit.db'));
  raw.pragma('busy_timeout = 5000');
  return {
    store,
    another: () => openAuditStore(url),
    impatient: () => openAuditStore(url, { busyTimeoutMs: 100 }),
    async sql(query, params = []) {
      const stmt = raw.prepare(query);
      if (stmt.reader) return stmt.all(...params) as Array<Record<string, unknown>>;
      stmt.run(...params);
      return [];
    },
    async blockWrites() {
      raw.exec('BEGIN EXCLUSIVE');
      return async () => {
        raw.exec('COMMIT');
      };
    },
    async dispose() {
      await store.close();
      raw.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresHarness(): Promise<StoreHarness> {
  const db = await createThrowawayDatabase('citecare_audit');
  const store = await openAuditStore(db.url);
  const raw = new pg.Pool({ connectionString: db.url, max: 2 });
  // Dropping the database at the end terminates these connections: not a test failure.
  raw.on('error', () => {});
  raw.on('connect', (client) => {
    client.on('error', () => {});
  });
  return {
    store,
    another: () => openAuditStore(db.url),
    impatient: () => openAuditStore(db.url, { statementTimeoutMs: 300 }),
    async sql(query, params = []) {
      const r = await raw.query(numberPlaceholders(query), params);
      return r.rows;
    },
    async blockWrites() {
      const client = await raw.connect();
      await client.query('BEGIN');
      await client.query('LOCK TABLE audit_chain IN ACCESS EXCLUSIVE MODE');
      return async () => {
        await client.query('COMMIT');
        client.release();
      };
    },
    async dispose() {
      await store.close();
      await raw.end();
      await db.drop();
    },
  };
}
