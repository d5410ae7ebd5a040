// `npx tsx scripts/vignettes/build.ts [--check]`: writes every spec'd vignette as JSON into
// eval/vignettes/ (main set) and eval/vignettes/holdout/ (holdout set). With --check it writes nothing and
// exits 1 when a committed file differs from what its spec builds (so spec and JSON cannot drift apart).
// The 35 original hand-written main vignettes (v01–v35) have no spec and are left alone.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HOLDOUT_DIR, VIGNETTES_DIR } from '../../src/evaluation/vignettes.ts';
import { type BuildOptions, buildVignette, type VignetteSpec } from './builder.ts';
import { HOLDOUT_SPECS } from './specs/holdout.ts';
import { MAIN_SPECS } from './specs/main.ts';

export const SETS: { dir: string; specs: VignetteSpec[]; opts: BuildOptions }[] = [
  {
    dir: VIGNETTES_DIR,
    specs: MAIN_SPECS,
    opts: { at: '2025-03-01T10:00:00Z', prefix: 'vig', family: 'Vignette' },
  },
  {
    dir: HOLDOUT_DIR,
    specs: HOLDOUT_SPECS,
    opts: { at: '2025-06-14T14:00:00Z', prefix: 'vig', family: 'Holdout' },
  },
];

export function renderVignette(spec: VignetteSpec, opts: BuildOptions): string {
  return `${JSON.stringify(buildVignette(spec, opts), null, 2)}\n`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  let stale = 0;
  let written = 0;
  for (const set of SETS) {
    const ids = new Set<string>();
    for (const spec of set.specs) {
      if (ids.has(spec.id)) throw new Error(`duplicate vignette id ${spec.id}`);
      ids.add(spec.id);
      const file = join(set.dir, `${spec.id}.json`);
      const text = renderVignette(spec, set.opts);
      if (values.check) {
        const current = await readFile(file, 'utf8').catch(() => '');
        if (current !== text) {
          process.stderr.write(`${file} differs from its spec\n`);
          stale++;
        }
      } else {
        await writeFile(file, text);
        written++;
      }
    }
  }
  if (values.check) {
    process.stdout.write(stale === 0 ? 'every vignette matches its spec\n' : `${stale} stale\n`);
    return stale === 0 ? 0 : 1;
  }
  process.stdout.write(`wrote ${written} vignettes\n`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
