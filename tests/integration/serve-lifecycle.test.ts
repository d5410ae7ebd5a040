// The real server process: start, health, graceful shutdown with a request in flight, and a
// configuration error that stops the start.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { allResources, fullPrefetch, hookRequest } from '../fixtures/cds/patient.ts';
import { startFakeFhirServer } from '../helpers/fake-fhir-server.ts';

const BIN = new URL('../../bin/citecare.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'citecare-serve-'));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function baseEnv(port: number): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(port),
    DEMO_FHIR: 'off',
    CDS_AUTH: 'disabled',
    AUDIT_DATABASE_URL: `sqlite:${join(dir, `audit-${port}.db`)}`,
    LOG_LEVEL: 'info',
  };
}

async function waitForReady(base: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not start');
}

describe('citecare serve', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves discovery and health, warns about disabled auth, and finishes in-flight requests on SIGTERM', async () => {
    const fhir = await startFakeFhirServer({ resources: allResources });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: baseEnv(port),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    try {
      await waitForReady(base, child);
      assert.match(out, /CDS_AUTH=disabled/);
      assert.equal((await fetch(`${base}/readyz`)).status, 200);
      const discovery = await (await fetch(`${base}/cds-services`)).json();
      assert.equal(discovery.services.length, 4);

      // A request whose vital signs come from a slow FHIR server is in flight when SIGTERM arrives.
      fhir.failures.set('Observation', 'hang');
      const { vitals: _v, ...partial } = fullPrefetch();
      const inFlight = fetch(`${base}/cds-services/citecare-patient-view`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...hookRequest('patient-view', partial), fhirServer: fhir.url }),
      });
      await new Promise((r) => setTimeout(r, 300));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const res = await inFlight;
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.ok(body.cards.length > 0, 'the in-flight request got its cards');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await fhir.close();
    }
  });

  it('stops at start with a message naming the variable when configuration is invalid', () => {
    const r = spawnSync(process.execPath, [BIN, 'serve'], {
      env: { ...baseEnv(1), PORT: '70000', AUDIT_DATABASE_URL: 'mysql://nope' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /PORT/);
    assert.match(r.stderr, /AUDIT_DATABASE_URL must be sqlite:PATH or postgres/);
  });

  it('refuses CDS_AUTH=disabled in production', () => {
    const r = spawnSync(process.execPath, [BIN, 'serve'], {
      env: { ...baseEnv(1), NODE_ENV: 'production' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /CDS_AUTH may not be "disabled"/);
  });
});
