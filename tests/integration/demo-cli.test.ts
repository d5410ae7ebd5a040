import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { runDemoCli } from '../../src/cli/demo.ts';
import { testConfig } from '../../src/config.ts';
import { DEMO_PATIENTS } from '../../src/demo-fhir/demo-patients.ts';
import { demoFhirPlugin } from '../../src/demo-fhir/fhir-server.ts';
import { buildApp } from '../../src/server/app.ts';
import { type DemoClient, loadOrCreateDemoClient } from '../../src/server/demo-client.ts';
import { createRuntime, type Runtime } from '../../src/server/runtime.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => {
    text += d.toString();
  });
  return { stream, text: () => text };
}

async function runCli(args: string[], base: string, client: DemoClient) {
  const stdout = capture();
  const stderr = capture();
  const code = await runDemoCli(
    args,
    { stdout: stdout.stream, stderr: stderr.stream, config: testConfig({ PUBLIC_BASE_URL: base }) },
    { client },
  );
  return { code, out: stdout.text(), err: stderr.text() };
}

describe('citecare demo against a running CiteCare', () => {
  let dataDir: string;
  let client: DemoClient;
  let app: FastifyInstance;
  let runtime: Runtime;
  let base: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'citecare-demo-cli-'));
    client = await loadOrCreateDemoClient(dataDir);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = testConfig({ PUBLIC_BASE_URL: base, PORT: String(port), DEMO_FHIR: 'on' });
    runtime = await createRuntime(config, {
      cdsClients: [{ iss: client.iss, jwks: client.jwks as never, allowedJku: [] }],
    });
    app = await buildApp(runtime, {
      plugins: [
        async (a, rt) => {
          await a.register(demoFhirPlugin, {
            prefix: '/fhir',
            baseUrl: `${rt.config.PUBLIC_BASE_URL}/fhir`,
            clock: rt.clock,
          });
        },
      ],
    });
    await app.listen({ port, host: '127.0.0.1' });
  });
  after(async () => {
    await app.close();
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('calls every service for every demo patient with signed tokens and prints the cards', async () => {
    const { code, out, err } = await runCli([], base, client);
    assert.equal(code, 0, err);
    assert.match(out, /4 services/);
    for (const p of DEMO_PATIENTS) assert.ok(out.includes(`━━ ${p.id}`), p.id);
    const section = (id: string) => out.split('━━ ').find((s) => s.startsWith(id)) ?? '';

    const sepsis = section('demo-sepsis');
    assert.match(sepsis, /patient-view \(citecare-patient-view\): \d+ cards?/);
    assert.match(sepsis, /\[CRITICAL\]|\[WARNING/);
    assert.match(sepsis, /cites: “/, 'shows at least one quoted citation');
    assert.match(sepsis, /order-select: skipped \(no draft orders on file\)/);

    const allergy = section('demo-penicillin-allergy');
    assert.match(allergy, /order-select \(citecare-order-select\): [1-9]\d* cards?/);
    assert.match(allergy, /order-sign \(citecare-order-sign\): [1-9]\d* cards?/);
    assert.match(allergy, /suggestion: /, 'offers an action (e.g. remove the draft order)');

    assert.match(section('demo-paediatric'), /encounter-start \(citecare-encounter-start\): [1-9]\d* cards?/);
    assert.match(out, /link \(absolute\): .*\/about\/citecare-/);
  });

  it('limits the run to the patients and hooks asked for', async () => {
    const { code, out } = await runCli(['--patient', 'demo-healthy', '--hook', 'patient-view'], base, client);
    assert.equal(code, 0);
    assert.ok(out.includes('━━ demo-healthy'));
    assert.ok(!out.includes('━━ demo-sepsis'));
    assert.ok(!out.includes('encounter-start'));
  });

  it('reports a refused token instead of printing nothing', async () => {
    const stranger = await loadOrCreateDemoClient(mkdtempSync(join(tmpdir(), 'citecare-other-')));
    const { code, out, err } = await runCli(['--patient', 'demo-healthy'], base, stranger);
    assert.notEqual(code, 0);
    assert.match(out + err, /401|not accept/);
  });

  it('says clearly when the service is not running', async () => {
    const port = await freePort();
    const { code, err } = await runCli([], `http://127.0.0.1:${port}`, client);
    assert.equal(code, 1);
    assert.match(err, /not reachable at http:\/\/127\.0\.0\.1:\d+\/cds-services/);
    assert.match(err, /npm start/);
  });
});
