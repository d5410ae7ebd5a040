import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { runGuidelinesCli } from '../../src/cli/guidelines.ts';
import { testConfig } from '../../src/config.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'citecare-cli-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function run(args: string[], env: Record<string, string> = {}, cacheDir = tempDir()) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => {
    out += c;
  });
  stderr.on('data', (c) => {
    err += c;
  });
  const code = await runGuidelinesCli(args, {
    stdout,
    stderr,
    config: testConfig(env),
    options: { cacheDir },
  });
  return { code, out, err };
}

describe('citecare guidelines search', () => {
  it('prints the top passages as JSON with citation fields and scores', async () => {
    const { code, out } = await run(['search', 'AFib', 'CHA2DS2-VASc', '3', 'woman', '--k', '3', '--json']);
    assert.equal(code, 0);
    const rows = JSON.parse(out) as Array<Record<string, unknown>>;
    assert.equal(rows.length, 3);
    assert.deepEqual(Object.keys(rows[0]!).sort(), [
      'chunkId',
      'issuer',
      'score',
      'section',
      'text',
      'title',
      'url',
      'year',
    ]);
    assert.ok(rows.some((r) => r.chunkId === 'afib-anticoagulation#anticoagulation-recommended'));
    assert.ok((rows[0]!.score as number) >= (rows[1]!.score as number));
  });

  it('prints readable text by default', async () => {
    const { code, out } = await run(['search', 'naloxone dose']);
    assert.equal(code, 0);
    assert.match(out, /^1\. Naloxone for opioid overdose \(.*\) — Injectable naloxone dose/m);
    assert.match(out, /opioid-overdose-naloxone#injectable-naloxone-dose/);
  });

  it('rejects a missing query or a bad --k with exit code 2', async () => {
    const a = await run(['search']);
    assert.equal(a.code, 2);
    assert.match(a.err, /search needs a QUERY/);
    const b = await run(['search', 'sepsis', '--k', 'many']);
    assert.equal(b.code, 2);
    assert.match(b.err, /--k must be/);
    const c = await run(['frobnicate']);
    assert.equal(c.code, 2);
    assert.match(c.err, /unknown guidelines command "frobnicate"/);
  });
});

describe('citecare guidelines index', () => {
  it('indexes the bundled and institutional folders, writes the cache and prints counts', async () => {
    const extra = tempDir();
    writeFileSync(
      join(extra, 'example-hospital-naloxone.md'),
      '---\nid: example-hospital-naloxone\ntitle: Naloxone kits on discharge\nissuer: Example Hospital\nyear: 2025\nurl: https://example.org/naloxone\nreviewed: 2026-11-26\ntopics: [opioid-overdose]\n---\n\n## Discharge kits\nEvery patient treated for overdose leaves with a nasal naloxone kit.\n',
    );
    const cacheDir = tempDir();
    const { code, out } = await run(['index'], { GUIDELINES_EXTRA_DIR: extra }, cacheDir);
    assert.equal(code, 0);
    assert.match(out, /^Indexed \d+ documents, \d+ passages \(bm25\)\./m);
    assert.match(out, new RegExp(`  1 from ${extra.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(out, /Corpus version: [0-9a-f]{64}/);
    const file = /Cache: (\S+) \(written\)/.exec(out)?.[1];
    assert.ok(file && existsSync(file), out);

    const again = await run(['index'], { GUIDELINES_EXTRA_DIR: extra }, cacheDir);
    assert.match(again.out, /\(up to date\)/);

    const hit = await run(['search', 'naloxone kit at discharge', '--json', '--k', '1'], {
      GUIDELINES_EXTRA_DIR: extra,
    });
    assert.equal(JSON.parse(hit.out)[0].chunkId, 'example-hospital-naloxone#discharge-kits');
  });

  it('fails with exit code 1 naming the file and field of a bad institutional document', async () => {
    const extra = tempDir();
    writeFileSync(
      join(extra, 'bad-doc.md'),
      '---\nid: bad-doc\ntitle: Bad\nissuer: Example Hospital\nyear: 2025\nurl: https://example.org\nreviewed: 2026-11-26\ntopics: [sepsis, vibes]\n---\n\n## A\nText.\n',
    );
    const { code, err } = await run(['index'], { GUIDELINES_EXTRA_DIR: extra });
    assert.equal(code, 1);
    assert.match(err, /bad-doc\.md: front matter field "topics" unknown topic "vibes"/);
  });
});
