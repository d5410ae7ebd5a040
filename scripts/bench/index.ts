// `npm run bench`: every benchmark in sequence, each a standalone script printing its own figures.
// A missing script is skipped with a note; a failing one is reported and makes the exit code 1.
// Usage: node --import tsx scripts/bench/index.ts [--only NAME[,NAME]] [--duration SECONDS (hooks)]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const BENCHES = [
  { name: 'clinical', what: 'snapshot + assessment speed' },
  { name: 'retrieval', what: 'guideline retrieval quality and speed' },
  { name: 'tokens', what: 'model prompt size per patient' },
  { name: 'audit', what: 'audit trail append and verify' },
  { name: 'hooks', what: 'CDS hook throughput and latency against a bare route' },
  { name: 'profile', what: "where a hook's time goes (CPU profile)" },
] as const;

const { values } = parseArgs({ options: { only: { type: 'string' }, duration: { type: 'string' } } });
const only = values.only ? new Set(values.only.split(',')) : undefined;
const argsFor = (name: string) =>
  name === 'hooks' && values.duration ? ['--duration', values.duration] : [];

const results: Array<{ name: string; outcome: string }> = [];
for (const bench of BENCHES) {
  if (only && !only.has(bench.name)) continue;
  const file = fileURLToPath(new URL(`./${bench.name}.ts`, import.meta.url));
  console.log(`\n=== ${bench.name}: ${bench.what} ===`);
  if (!existsSync(file)) {
    console.log(`(skipped: scripts/bench/${bench.name}.ts is not present)`);
    results.push({ name: bench.name, outcome: 'skipped (absent)' });
    continue;
  }
  const t0 = performance.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', file, ...argsFor(bench.name)], {
    stdio: 'inherit',
  });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const outcome =
    run.status === 0
      ? `ok (${seconds} s)`
      : `FAILED with exit code ${run.status ?? run.signal} (${seconds} s)`;
  results.push({ name: bench.name, outcome });
}

console.log('\n=== summary ===');
for (const r of results) console.log(`${r.name.padEnd(10)} ${r.outcome}`);
process.exitCode = results.some((r) => r.outcome.startsWith('FAILED')) ? 1 : 0;
