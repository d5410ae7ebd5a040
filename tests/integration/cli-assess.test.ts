import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { allResources } from '../fixtures/cds/patient.ts';

const BIN = new URL('../../bin/citecare.js', import.meta.url).pathname;

function citecare(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'citecare-assess-'));
const bundleFile = join(dir, 'patient.json');
writeFileSync(
  bundleFile,
  JSON.stringify({
    resourceType: 'Bundle',
    type: 'collection',
    entry: allResources.map((resource) => ({ resource })),
  }),
);

describe('citecare assess', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints exactly one JSON object in the documented shape', () => {
    const r = citecare(['assess', '--bundle', bundleFile, '--at', '2026-11-26T12:00:00Z', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.patient, { ageYears: 67, sex: 'female' });
    assert.equal(typeof out.scores.news2.total, 'number');
    assert.equal(typeof out.scores.news2.components.respiratoryRate, 'number');
    assert.equal(typeof out.scores.qsofa.total, 'number');
    assert.ok(out.triage.level >= 1 && out.triage.level <= out.triage.floorLevel);
    assert.ok(out.triage.reasons.length > 0);
    const sepsis = out.findings.find((f: { id: string }) => /sepsis/.test(f.id));
    assert.ok(sepsis, 'a positive sepsis screen');
    assert.ok(['info', 'warning', 'critical'].includes(sepsis.severity));
    const refs = new Set(allResources.map((r) => `${r.resourceType}/${r.id}`));
    for (const f of out.findings) {
      for (const e of f.evidence) assert.ok(refs.has(e), `${e} is in the input`);
      for (const c of f.citations) {
        assert.ok(c.chunkId && c.title && c.issuer && c.year && c.url && c.quote);
      }
    }
    assert.ok(sepsis.citations.length > 0);
    assert.equal(out.model.status, 'disabled');
  });

  it('lists a vital sign it cannot read as "not understood", and cites each triage reason', () => {
    const odd = join(dir, 'odd-vital.json');
    const unknown = {
      resourceType: 'Observation',
      id: 'odd-vital',
      status: 'final',
      category: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
          ],
        },
      ],
      code: { coding: [{ system: 'http://loinc.org', code: '99999-9', display: 'Some new vital sign' }] },
      effectiveDateTime: '2026-11-26T11:50:00Z',
      valueQuantity: { value: 7, unit: '1' },
    };
    writeFileSync(
      odd,
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [...allResources, unknown].map((resource) => ({ resource })),
      }),
    );
    const r = citecare(['assess', '--bundle', odd, '--at', '2026-11-26T12:00:00Z', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(
      out.notUnderstood.map((n: { source: string; message: string }) => [n.source, n.message]),
      [['Observation/odd-vital', 'not understood: LOINC 99999-9']],
    );
    assert.ok(out.warnings.some((w: string) => w.includes('not understood: LOINC 99999-9')));
    assert.ok(out.triage.rules.length > 0);
    for (const rule of out.triage.rules) {
      assert.ok(rule.citation?.chunkId && rule.citation.quote, `${rule.id} cites a passage`);
      assert.ok(rule.source, `${rule.id} names its source`);
    }
  });

  it('gives a null score with its reason rather than a guess', () => {
    const sparse = join(dir, 'sparse.json');
    writeFileSync(
      sparse,
      JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: allResources[0] }] }),
    );
    const out = JSON.parse(citecare(['assess', '--bundle', sparse, '--json']).stdout);
    assert.equal(out.scores.news2.total, null);
    assert.ok(out.scores.news2.reason);
    assert.equal(out.triage.level, 3);
    assert.equal(out.triage.floorLevel, null);
  });

  it('exits 2 with a clear message for a missing file', () => {
    const r = citecare(['assess', '--bundle', join(dir, 'nope.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.json/);
    assert.equal(r.stdout, '');
  });

  it('exits 2 for a file that is not a Bundle, and for a bad --at', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"resourceType": "Patient"');
    assert.equal(citecare(['assess', '--bundle', bad]).code, 2);
    assert.equal(citecare(['assess', '--bundle', bundleFile, '--at', 'yesterday']).code, 2);
    assert.equal(citecare(['assess']).code, 2);
  });

  it('refuses invalid configuration naming the variable', () => {
    const r = citecare(['assess', '--bundle', bundleFile], { LLM_TIMEOUT_MS: 'soon' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /LLM_TIMEOUT_MS/);
  });
});
