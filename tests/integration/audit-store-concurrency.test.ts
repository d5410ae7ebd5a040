// Several writers on one chain: instances on one PostgreSQL database, processes on one SQLite file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import { createThrowawayDatabase } from '../helpers/pg.ts';
import { makeFeedback, makeRecord } from './audit-store-fixtures.ts';

/** A writer process's script: `body` runs with `openAuditStore` and the fixtures' `makeRecord` in scope. */
function writerScript(body: string): string {
  const storeModule = pathToFileURL(join(process.cwd(), 'src/audit/open-audit-store.ts')).href;
  const fixtures = pathToFileURL(join(process.cwd(), 'tests/integration/audit-store-fixtures.ts')).href;
  return `
    const { openAuditStore } = await import(${JSON.stringify(storeModule)});
    const { makeRecord } = await import(${JSON.stringify(fixtures)});
    ${body}
  `;
}

function spawnWriter(script: string, stdout: 'ignore' | 'pipe') {
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', stdout, 'inherit'],
  });
}

describe('audit chain with several writers', () => {
  it('PostgreSQL: instances starting together and 50 parallel appends over 5 pools keep one chain', async () => {
    const db = await createThrowawayDatabase('citecare_audit');
    // Opening concurrently races the migrations too.
    const stores = await Promise.all(Array.from({ length: 5 }, () => openAuditStore(db.url, { max: 4 })));
    try {
      const inputs = Array.from({ length: 50 }, () => makeRecord());
      const records = await Promise.all(inputs.map((input, i) => stores[i % 5].append(input)));
      const feedback = await Promise.all(
        inputs.map((input, i) => stores[(i + 2) % 5].appendFeedback(makeFeedback(input.cardIds[0]))),
      );
      const seqs = [...records, ...feedback].map((e) => e.seq).sort((a, b) => a - b);
      assert.deepEqual(
        seqs,
        Array.from({ length: 100 }, (_, i) => i + 1),
      );
      for (const [i, f] of feedback.entries()) assert.equal(f.recordId, records[i].id);
      const verdict = await stores[4].verifyChain();
      assert.equal(verdict.ok, true, JSON.stringify(verdict));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await db.drop();
    }
  });

  it('SQLite: two processes appending to one file keep one chain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'citecare-audit-mp-'));
    const url = `sqlite:${join(dir, 'audit.db')}`;
    const script = writerScript(`
      // Three writers flat out on a loaded test machine can starve one past the 1 s default;
      // this test is about the chain staying whole, not about the lock wait.
      const store = await openAuditStore(${JSON.stringify(url)}, { busyTimeoutMs: 5000 });
      for (let i = 0; i < 150; i++) await store.append(makeRecord());
      await store.close();
    `);
    const run = () =>
      new Promise<number>((resolve, reject) => {
        const child = spawnWriter(script, 'ignore');
        child.on('error', reject);
        child.on('exit', (code) => resolve(code ?? 1));
      });
    try {
      assert.deepEqual(await Promise.all([run(), run(), run()]), [0, 0, 0]);
      const store = await openAuditStore(url);
      const verdict = await store.verifyChain();
      await store.close();
      assert.equal(verdict.ok, true, JSON.stringify(verdict));
      if (verdict.ok) assert.equal(verdict.entries, 450);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SQLite: a writer killed mid-append leaves a chain that verifies and keeps growing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'citecare-audit-crash-'));
    const url = `sqlite:${join(dir, 'audit.db')}`;
    const script = writerScript(`
      const store = await openAuditStore(${JSON.stringify(url)});
      process.stdout.write('ready\\n');
      for (;;) await store.append(makeRecord());
    `);
    try {
      const child = spawnWriter(script, 'pipe');
      const ready = child.stdout;
      assert.ok(ready, "the writer's stdout is piped");
      await new Promise<void>((resolve) => ready.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, 400));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const store = await openAuditStore(url);
      try {
        const before = await store.verifyChain();
        assert.equal(before.ok, true, JSON.stringify(before));
        assert.ok(before.ok && before.entries > 0, 'the writer got some records in before it died');
        await store.append(makeRecord());
        assert.equal((await store.verifyChain()).ok, true);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
