import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import { createThrowawayDatabase } from '../helpers/pg.ts';
import { runQuerySuite } from './audit-query-suite.ts';
import { makeRecord } from './audit-store-fixtures.ts';
import { postgresHarness } from './audit-store-harness.ts';
import { runStoreSuite } from './audit-store-suite.ts';

runStoreSuite('PostgreSQL', postgresHarness);
runQuerySuite('PostgreSQL', postgresHarness);

describe('PostgreSQL audit migrations', () => {
  it('are not cut short by the statement timeout meant for hook-time writes', async () => {
    const db = await createThrowawayDatabase('citecare_audit');
    const blocker = new pg.Client({ connectionString: db.url });
    blocker.on('error', () => {});
    await blocker.connect();
    try {
      // Another instance migrating: hold the migration lock longer than the statement timeout.
      await blocker.query('BEGIN');
      await blocker.query('SELECT pg_advisory_xact_lock(727310001)');
      const opening = openAuditStore(db.url, { statementTimeoutMs: 200 });
      await new Promise((r) => setTimeout(r, 600));
      await blocker.query('COMMIT');
      const store = await opening;
      try {
        await store.append(makeRecord());
        assert.equal((await store.verifyChain()).ok, true);
      } finally {
        await store.close();
      }
    } finally {
      await blocker.end();
      await db.drop();
    }
  });
});
