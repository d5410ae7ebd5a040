// Where a hook's time goes: the patient-view hook with the same Synthea prefetch and auth on as
// scripts/bench/hooks.ts, called sequentially through fastify's injector in a child process run
// with `node --cpu-prof`. Samples inside the measured window are attributed to the first frame up
// the stack that belongs to a known stage (body parse, zod, JWT, snapshot, rules, retrieval, cards,
// canonical JSON, hash, SQLite write); the rest is fastify, Node and the injector.
// Usage: node --import tsx scripts/bench/profile.ts [--requests 400] [--top N (also list the N
// functions with the most self time)]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { patientView } from '../../cds-hooks/patient-view.ts';
import { buildApp } from '../../src/server/app.ts';
import { mintCdsToken } from '../../tests/helpers/cds-tokens.ts';
import { hookSetup, largestSynthea } from './hook-setup.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '400' },
    top: { type: 'string', default: '0' },
    child: { type: 'string' },
  },
});
const requests = Math.max(50, Number(values.requests) || 400);

/** Stages in the order they are tested: the first that matches a frame (leaf upwards) wins. */
const STAGES: Array<{ name: string; match: (url: string, fn: string) => boolean }> = [
  { name: 'hash (SHA-256)', match: (u, f) => u.includes('internal/crypto/hash') || f === 'digest' },
  { name: 'canonical JSON', match: (u) => u.includes('src/audit/canonical-json') },
  {
    name: 'SQLite write',
    match: (u) => u.includes('better-sqlite3') || u.includes('src/audit/sqlite-audit-store'),
  },
  { name: 'audit record (scrub, chain)', match: (u) => u.includes('src/audit/') },
  { name: 'JWT (jose)', match: (u) => u.includes('/jose/') || u.includes('src/auth/') },
  { name: 'zod validation', match: (u) => u.includes('/zod/') },
  { name: 'snapshot', match: (u) => u.includes('src/clinical/snapshot') },
  {
    name: 'rules and scores',
    match: (u) =>
      u.includes('src/clinical/rules') ||
      u.includes('src/clinical/scores') ||
      u.includes('src/clinical/assess') ||
      u.includes('src/clinical/triage/floor'),
  },
  {
    name: 'retrieval',
    match: (u) =>
      u.includes('src/guidelines/') || u.includes('src/pipeline/retrieve') || u.includes('minisearch'),
  },
  { name: 'cards', match: (u) => u.includes('src/cards/') },
  { name: 'prefetch resolution', match: (u) => u.includes('src/fhir/') },
  {
    name: 'body parse (JSON)',
    match: (u, f) =>
      u.includes('secure-json-parse') || (f === 'parse' && u === '') || u.includes('content-type-parser'),
  },
  {
    name: 'response serialise',
    match: (u) => u.includes('fast-json-stringify') || u.includes('fastify/lib/reply'),
  },
  { name: '(garbage collector)', match: (_u, f) => f === '(garbage collector)' },
  { name: 'other clinical code', match: (u) => u.includes('src/clinical/') || u.includes('src/pipeline/') },
];

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  startTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

/** The child: the app in process, `requests` hook calls, the measured window written to a file. */
async function child(windowFile: string): Promise<void> {
  const { config, runtime, now, dir, body } = await hookSetup(largestSynthea());
  const app = await buildApp(runtime);
  const url = `/cds-services/${patientView.descriptor.id}`;
  const tokens: string[] = [];
  for (let i = 0; i < requests + 20; i++) {
    tokens.push(await mintCdsToken({ aud: `${config.PUBLIC_BASE_URL}${url}`, now: Math.floor(now / 1000) }));
  }
  const call = async () => {
    const r = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.pop()}` },
      payload: body,
    });
    if (r.statusCode !== 200) throw new Error(`hook answered ${r.statusCode}: ${r.body.slice(0, 400)}`);
  };
  for (let i = 0; i < 20; i++) await call(); // warm-up, outside the window
  const start = process.hrtime.bigint() / 1000n;
  const t0 = performance.now();
  for (let i = 0; i < requests; i++) await call();
  const wallMs = performance.now() - t0;
  const end = process.hrtime.bigint() / 1000n;
  writeFileSync(windowFile, JSON.stringify({ start: Number(start), end: Number(end), wallMs }));
  await app.close();
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
}

function analyse(profileFile: string, window: { start: number; end: number; wallMs: number }): void {
  const profile = profileSchema.parse(JSON.parse(readFileSync(profileFile, 'utf8')));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageOf = new Map<number, string>();
  const classify = (id: number): string => {
    const known = stageOf.get(id);
    if (known) return known;
    let stage = 'fastify, Node, injector';
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      const hit = STAGES.find((s) => s.match(frame.url, frame.functionName));
      if (hit) {
        stage = hit.name;
        break;
      }
      if (frame.functionName === '(idle)') {
        stage = '(idle: waiting for fsync and I/O)';
        break;
      }
    }
    stageOf.set(id, stage);
    return stage;
  };
  const totals = new Map<string, number>();
  const selfTime = new Map<number, number>();
  let t = profile.startTime;
  let inWindow = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (t < window.start || t > window.end) continue;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    const stage = classify(profile.samples[i]!);
    totals.set(stage, (totals.get(stage) ?? 0) + delta);
    selfTime.set(profile.samples[i]!, (selfTime.get(profile.samples[i]!) ?? 0) + delta);
    inWindow += delta;
  }
  if (inWindow === 0) throw new Error('no profile samples inside the measured window');
  console.log(
    `profile: ${requests} sequential patient-view calls (auth on, SQLite FULL sync), ${(window.wallMs / requests).toFixed(2)} ms per call`,
  );
  console.log('');
  console.log('| stage | share of the window | ms per call |');
  console.log('|---|---|---|');
  for (const [stage, us] of [...totals].sort((a, b) => b[1] - a[1])) {
    console.log(
      `| ${stage} | ${((100 * us) / inWindow).toFixed(1)} % | ${(us / 1000 / requests).toFixed(2)} |`,
    );
  }
  const top = Number(values.top) || 0;
  if (top > 0) printTopFunctions(selfTime, byId, top, inWindow);
}

/** `--top N`: the functions with the most self time in the window, to find what to fix inside a stage. */
function printTopFunctions(
  selfTime: Map<number, number>,
  byId: Map<number, z.infer<typeof profileSchema>['nodes'][number]>,
  top: number,
  inWindow: number,
): void {
  const byFunction = new Map<string, number>();
  for (const [id, us] of selfTime) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url ? `${url.replace(/^.*\/(node_modules|src|cds-hooks)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  console.log('');
  console.log(`| function (self time) | share | ms per call |`);
  console.log('|---|---|---|');
  for (const [fn, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`| ${fn} | ${((100 * us) / inWindow).toFixed(1)} % | ${(us / 1000 / requests).toFixed(2)} |`);
  }
}

if (values.child) {
  await child(values.child);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'citecare-cpuprof-'));
  const windowFile = join(dir, 'window.json');
  const self = fileURLToPath(import.meta.url);
  const run = spawnSync(
    process.execPath,
    [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      '--cpu-prof-interval=200',
      '--import',
      'tsx',
      self,
      '--requests',
      String(requests),
      '--child',
      windowFile,
    ],
    { stdio: 'inherit' },
  );
  if (run.status !== 0) throw new Error(`profiled run failed (${run.status ?? run.signal})`);
  const profileFile = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!profileFile) throw new Error('no .cpuprofile was written');
  analyse(join(dir, profileFile), JSON.parse(readFileSync(windowFile, 'utf8')));
  rmSync(dir, { recursive: true, force: true });
}
