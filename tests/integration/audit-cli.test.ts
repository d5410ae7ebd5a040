import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import { runAuditCli } from '../../src/cli/audit.ts';
import { testConfig } from '../../src/config.ts';
import { makeFeedback, makeRecord } from './audit-store-fixtures.ts';

function sink() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d) => {
    text += d;
  });
  return { stream, text: () => text };
}

async function cli(args: string[], env: Record<string, string> = {}) {
  const out = sink();
  const err = sink();
  const code = await runAuditCli(args, { stdout: out.stream, stderr: err.stream, config: testConfig(env) });
  return { code, stdout: out.text(), stderr: err.text() };
}

async function seededTrail() {
  const dir = mkdtempSync(join(tmpdir(), 'citecare-audit-cli-'));
  const path = join(dir, 'data', 'audit.db');
  const env = { AUDIT_DATABASE_URL: `sqlite:${path}` };
  const store = await openAuditStore(env.AUDIT_DATABASE_URL);
  const old = makeRecord({ time: new Date(Date.now() - 400 * 86_400_000).toISOString() });
  await store.append(old);
  const records = [];
  for (let i = 0; i < 3; i++)
    records.push(await store.append(makeRecord({ time: new Date().toISOString() })));
  await store.appendFeedback(makeFeedback(old.cardIds[0]));
  await store.close();
  return { dir, path, env, records };
}

describe('citecare audit CLI', () => {
  it('verify exits 0 on an intact chain and non-zero naming the first broken record', async () => {
    const { path, env, records } = await seededTrail();
    const ok = await cli(['verify'], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Audit chain intact: 5 entries up to seq 5/);

    const raw = new Database(path);
    raw
      .prepare("UPDATE audit_entries SET body = replace(body, 'citecare-sepsis', 'tampered') WHERE seq = ?")
      .run(records[1].seq);
    raw.close();
    const broken = await cli(['audit', 'verify'], env);
    assert.notEqual(broken.code, 0);
    assert.match(broken.stderr, new RegExp(`BROKEN at seq ${records[1].seq} \\(id ${records[1].id}\\)`));
  });

  it('exports NDJSON and FHIR to a file or stdout', async () => {
    const { dir, env } = await seededTrail();
    const out = join(dir, 'trail.ndjson');
    const nd = await cli(['export', '--format', 'ndjson', '--out', out], env);
    assert.equal(nd.code, 0, nd.stderr);
    assert.match(nd.stderr, /Exported 5 audit entries \(ndjson\)/);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 5);
    assert.equal(JSON.parse(lines[4]).kind, 'feedback');

    const fhir = await cli(['export', '--format', 'fhir'], env);
    assert.equal(fhir.code, 0);
    const bundle = JSON.parse(fhir.stdout);
    assert.equal(bundle.resourceType, 'Bundle');
    assert.equal(bundle.entry.length, 4 * 2 + 1);

    const bad = await cli(['export', '--format', 'xml'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format must be ndjson or fhir/);
  });

  it('purges by age (flag or AUDIT_RETENTION_DAYS) and the chain still verifies', async () => {
    const { env } = await seededTrail();
    const missing = await cli(['purge'], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /AUDIT_RETENTION_DAYS/);

    const purged = await cli(['purge'], { ...env, AUDIT_RETENTION_DAYS: '365' });
    assert.equal(purged.code, 0, purged.stderr);
    assert.match(purged.stdout, /Purged 1 audit entries .*starts after seq 1/);
    const v = await cli(['verify'], env);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /4 entries up to seq 5, continuing from purged seq 1/);
    const again = await cli(['purge', '--older-than-days', '365'], env);
    assert.match(again.stdout, /Purged 0 audit entries/);
  });

  it('prints usage for an unknown command', async () => {
    const r = await cli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown audit command "frobnicate"/);
  });
});
