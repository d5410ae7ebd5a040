// SQLite-only write behaviour: group commit under a lock or a bad entry, close with writes
// pending, and purged content really gone from the file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteAuditStore } from '../../src/audit/sqlite-audit-store.ts';
import { makeRecord } from './audit-store-fixtures.ts';

describe('SQLite audit store writes', () => {
  let dir: string;
  let n = 0;
  const nextPath = () => join(dir, `audit-${++n}.db`);
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'citecare-audit-sqlite-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails one bad entry of a batch alone and writes the others in one chain', async () => {
    const store = SqliteAuditStore.open(nextPath());
    try {
      // A bigint cannot be written as JSON: that entry fails, its neighbours in the batch do not.
      const results = await Promise.allSettled([
        store.append(makeRecord({ hookInstance: 'A' })),
        store.append(makeRecord({ hookInstance: 'B', scores: { n: 10n } })),
        store.append(makeRecord({ hookInstance: 'C' })),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      const seqs = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.seq] : []));
      assert.deepEqual(seqs, [1, 2]);
      assert.match(String((results[1] as PromiseRejectedResult).reason), /audit write failed: bigint/);
      assert.equal(await store.healthy(), true);
      const verdict = await store.verifyChain();
      assert.equal(verdict.ok, true, JSON.stringify(verdict));
    } finally {
      await store.close();
    }
  });

  it('rejects a whole batch at once when another process holds the lock', async () => {
    const path = nextPath();
    const store = SqliteAuditStore.open(path, { busyTimeoutMs: 200 });
    const other = new Database(path);
    try {
      other.exec('BEGIN EXCLUSIVE');
      const started = Date.now();
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => store.append(makeRecord())));
      const elapsed = Date.now() - started;
      assert.ok(results.every((r) => r.status === 'rejected'));
      assert.match(
        String((results[0] as PromiseRejectedResult).reason),
        /audit write failed: database is locked/,
      );
      // One busy_timeout wait for the batch, not one per entry (20 × 200 ms with the event loop blocked).
      assert.ok(elapsed < 1500, `took ${elapsed} ms`);
      assert.equal(await store.healthy(), false);
      other.exec('ROLLBACK');
      assert.equal(await store.healthy(), true);
    } finally {
      other.close();
      await store.close();
    }
  });

  it('waits about a second for a lock by default, not five', async () => {
    const path = nextPath();
    const store = SqliteAuditStore.open(path);
    const other = new Database(path);
    try {
      other.exec('BEGIN EXCLUSIVE');
      const started = Date.now();
      await assert.rejects(store.append(makeRecord()), /database is locked/);
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 900 && elapsed < 2500, `took ${elapsed} ms`);
    } finally {
      other.exec('ROLLBACK');
      other.close();
      await store.close();
    }
  });

  it('writes appends still queued when it is closed', async () => {
    const path = nextPath();
    const store = SqliteAuditStore.open(path);
    const pending = [store.append(makeRecord()), store.append(makeRecord())];
    await store.close();
    const written = await Promise.all(pending);
    assert.deepEqual(
      written.map((r) => r.seq),
      [1, 2],
    );
    await assert.rejects(store.append(makeRecord()), /closed/);
    const again = SqliteAuditStore.open(path);
    try {
      const verdict = await again.verifyChain();
      assert.equal(verdict.ok && verdict.entries, 2);
    } finally {
      await again.close();
    }
  });

  it('leaves no readable copy of purged entries in the database file or its WAL', async () => {
    const path = nextPath();
    const store = SqliteAuditStore.open(path);
    try {
      const marker = 'PURGED-MARKER-7f3a9c';
      for (let i = 0; i < 20; i++) {
        await store.append(makeRecord({ time: '2020-01-01T00:00:00Z', hookInstance: `${marker}-${i}` }));
      }
      await store.append(makeRecord({ time: new Date().toISOString(), hookInstance: 'kept-entry' }));
      const result = await store.purge(new Date('2025-01-01T00:00:00Z'));
      assert.equal(result.purged, 20);
      const bytes = (file: string) => {
        try {
          return readFileSync(file).toString('latin1');
        } catch {
          return '';
        }
      };
      const onDisk = bytes(path) + bytes(`${path}-wal`);
      assert.ok(onDisk.includes('kept-entry'), 'the kept entry is on disk');
      assert.ok(!onDisk.includes(marker), 'purged content must not stay readable on disk');
      assert.equal((await store.verifyChain()).ok, true);
    } finally {
      await store.close();
    }
  });
});
