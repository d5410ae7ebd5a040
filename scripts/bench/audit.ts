// Audit write cost: µs per record and records/s, for SQLite (temporary file, WAL, synchronous=FULL)
// and PostgreSQL (a throwaway database), sequential and with concurrent writers.
// Usage: node --import tsx scripts/bench/audit.ts [records=2000] [concurrency=16]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import type { AuditDatabase, AuditRecordInput } from '../../src/audit/types.ts';
import { createThrowawayDatabase } from '../../tests/helpers/pg.ts';
import { makeRecord } from '../../tests/integration/audit-store-fixtures.ts';

const count = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 16);

function records(n: number): AuditRecordInput[] {
  // A realistic record: a few dozen resources, passages and a model answer of a few KB.
  return Array.from({ length: n }, () =>
    makeRecord({
      resources: Array.from({ length: 30 }, (_, i) => ({ ref: `Observation/o${i}`, versionId: '1' })),
      retrieval: { corpusVersion: 'bench', chunkIds: Array.from({ length: 8 }, (_, i) => `guideline#c${i}`) },
      llm: { ...makeRecord().llm!, rawOutput: 'x'.repeat(3000) },
    }),
  );
}

async function measure(label: string, store: AuditDatabase, parallel: number): Promise<void> {
  const inputs = records(count);
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < inputs.length) await store.append(inputs[next++]);
    }),
  );
  const micros = Number(process.hrtime.bigint() - start) / 1000;
  const verdict = await store.verifyChain();
  console.log(
    `${label.padEnd(34)} ${(micros / count).toFixed(0).padStart(7)} µs/record ${Math.round(
      (count * 1e6) / micros,
    )
      .toString()
      .padStart(7)} records/s  chain ${verdict.ok ? 'ok' : 'BROKEN'}`,
  );
}

async function main(): Promise<void> {
  console.log(`audit write benchmark: ${count} records per run`);
  const dir = mkdtempSync(join(tmpdir(), 'citecare-bench-'));
  try {
    const sqlite = await openAuditStore(`sqlite:${join(dir, 'audit.db')}`);
    await measure('SQLite sequential', sqlite, 1);
    await measure(`SQLite ${concurrency} concurrent callers`, sqlite, concurrency);
    await sqlite.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  let db: Awaited<ReturnType<typeof createThrowawayDatabase>> | undefined;
  try {
    db = await createThrowawayDatabase('citecare_bench');
  } catch (err) {
    console.log(`PostgreSQL skipped: ${(err as Error).message}`);
    return;
  }
  try {
    const pgStore = await openAuditStore(db.url, { max: concurrency });
    await measure('PostgreSQL sequential', pgStore, 1);
    await measure(`PostgreSQL ${concurrency} concurrent callers`, pgStore, concurrency);
    await pgStore.close();
  } finally {
    await db.drop();
  }
}

await main();
