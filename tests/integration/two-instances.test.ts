// Two real CiteCare processes behind one public address, on one PostgreSQL audit database and one
// Redis, called in alternation: what one instance did, the other must honour. Redis keys live under
// a prefix of this run (other test runs share the Redis); the database is a throwaway one.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import type { AuditDatabase } from '../../src/audit/types.ts';
import { AS_OF_BUCKET_MS } from '../../src/llm/advice-cache.ts';
import { hookRequest } from '../fixtures/cds/patient.ts';
import { mintCdsToken, writeTestCdsClientsFile } from '../helpers/cds-tokens.ts';
import { type FakeFhirServer, startFakeFhirServer } from '../helpers/fake-fhir-server.ts';
import { type FakeOpenAI, jsonAnswer, startFakeOpenAI } from '../helpers/fake-openai.ts';
import { type FakeSmartServer, startFakeSmartServer } from '../helpers/fake-smart-server.ts';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/pg.ts';
import { cookieHeader, cookieJar, freePort } from './smart-testbed.ts';
import { triagePatientBundle } from './smart-triage-patient.ts';

const BIN = new URL('../../bin/citecare.js', import.meta.url).pathname;
const ROOT = new URL('../..', import.meta.url).pathname;
const PUBLIC = 'http://citecare.lb.test.example';
const REDIS_URL = 'redis://127.0.0.1:6379';
const PREFIX = `citecare-test:${randomUUID()}:`;
const CLIENT_ID = 'citecare-two-instances';
const SMART_PATIENT = 'pt-ed-1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Instance {
  name: string;
  base: string;
  metrics: string;
  child: ChildProcess;
  output: string[];
}

async function waitForReady(instance: Instance): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (instance.child.exitCode !== null)
      throw new Error(`${instance.name} exited: ${instance.output.join('').slice(-2000)}`);
    try {
      if ((await fetch(`${instance.base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${instance.name} did not become ready`);
}

describe('two instances behind one address', () => {
  const dir = mkdtempSync(join(tmpdir(), 'citecare-two-'));
  let db: ThrowawayDatabase;
  let store: AuditDatabase;
  let openai: FakeOpenAI;
  let smart: FakeSmartServer;
  let fhir: FakeFhirServer;
  let a: Instance;
  let b: Instance;

  async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
    const port = await freePort();
    const metricsPort = await freePort();
    const child = spawn(process.execPath, [BIN, 'serve'], {
      cwd: ROOT,
      env: { ...env, PORT: String(port), METRICS_PORT: String(metricsPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    return {
      name,
      base: `http://127.0.0.1:${port}`,
      metrics: `http://127.0.0.1:${metricsPort}/metrics`,
      child,
      output,
    };
  }

  before(async () => {
    db = await createThrowawayDatabase('citecare_two');
    openai = await startFakeOpenAI();
    smart = await startFakeSmartServer({
      clientId: CLIENT_ID,
      context: { patient: SMART_PATIENT, encounter: 'enc-ed-1' },
    });
    fhir = await startFakeFhirServer({
      bundle: triagePatientBundle(new Date(), SMART_PATIENT),
      verifyToken: (t) => smart.checkAccessToken(t) !== null,
      smartConfiguration: () => smart.smartConfiguration(),
    });
    smart.audience = fhir.url;
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: PUBLIC,
      DEMO_FHIR: 'off',
      CDS_CLIENTS_FILE: await writeTestCdsClientsFile(dir),
      AUDIT_DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: PREFIX,
      SESSION_SECRET: 'two-instances-share-this-session-secret',
      OPENAI_BASE_URL: openai.baseURL,
      OPENAI_API_KEY: 'test-key',
      LLM_MODEL: 'fake-model',
      HOOK_BUDGET_MS: '4000',
      LLM_TIMEOUT_MS: '3000',
      SMART_CLIENT_ID: CLIENT_ID,
      SMART_ALLOWED_ISSUERS: fhir.url,
    };
    a = await startInstance('A', env);
    b = await startInstance('B', env);
    await Promise.all([waitForReady(a), waitForReady(b)]);
    store = await openAuditStore(db.url);
  });

  after(async () => {
    for (const i of [a, b]) if (i && i.child.exitCode === null) i.child.kill('SIGKILL');
    await store?.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await Promise.all([openai?.close(), smart?.close(), fhir?.close()]);
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A hook call to one instance; `token` defaults to a fresh one for the public address. */
  async function hook(instance: Instance, service: string, payload: unknown, token?: string) {
    const path = `/cds-services/${service}`;
    const bearer = token ?? (await mintCdsToken({ aud: `${PUBLIC}${path}` }));
    return fetch(`${instance.base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
  }

  it('refuses on B a client JWT already used on A, and stores feedback sent to B for a card from A', async () => {
    const path = '/cds-services/citecare-order-sign';
    const token = await mintCdsToken({ aud: `${PUBLIC}${path}` });
    const first = await hook(a, 'citecare-order-sign', hookRequest('order-sign'), token);
    assert.equal(first.status, 200);
    const { cards } = (await first.json()) as {
      cards: Array<{ uuid: string; overrideReasons?: Array<{ code: string; system: string }> }>;
    };
    assert.ok(cards.length > 0);
    const replay = await hook(b, 'citecare-order-sign', hookRequest('order-sign'), token);
    assert.equal(replay.status, 401, 'the jti was recorded in the shared Redis');

    const card = cards.find((c) => c.overrideReasons?.length) ?? cards[0];
    const feedbackPath = `${path}/feedback`;
    const fb = await fetch(`${b.base}${feedbackPath}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await mintCdsToken({ aud: `${PUBLIC}${feedbackPath}` })}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        feedback: [
          {
            card: card.uuid,
            outcome: 'overridden',
            ...(card.overrideReasons?.[0] ? { overrideReason: { reason: card.overrideReasons[0] } } : {}),
            outcomeTimestamp: new Date().toISOString(),
          },
        ],
      }),
    });
    assert.equal(fb.status, 200, await fb.text());
    const record = await store.recordForCard(card.uuid);
    assert.ok(record);
    const detail = await store.get(record.id);
    assert.equal(detail?.feedback.length, 1);
  });

  it('uses on B the model answer A cached', async () => {
    // The cache key has 5-minute "as of" buckets: do not straddle a boundary between the calls.
    const toBoundary = AS_OF_BUCKET_MS - (Date.now() % AS_OF_BUCKET_MS);
    if (toBoundary < 20_000) await sleep(toBoundary + 200);
    // Not a grounded answer: a fallback is cached too (briefly), and is the model's answer all the same.
    for (let i = 0; i < 4; i++) openai.enqueue(jsonAnswer({ suggestedLevel: 2 }));
    const payload = hookRequest('encounter-start');
    const onA = await hook(a, 'citecare-encounter-start', payload);
    assert.equal(onA.status, 200);
    const calls = openai.requests.length;
    assert.ok(calls > 0, 'A asked the model');
    const onB = await hook(b, 'citecare-encounter-start', { ...payload, hookInstance: randomUUID() });
    assert.equal(onB.status, 200);
    assert.equal(openai.requests.length, calls, 'B did not ask the model again');
    const page = await store.list({ service: 'citecare-encounter-start' });
    assert.equal(page.records.length, 2);
    const details = await Promise.all(page.records.map((r) => store.get(r.id)));
    const cached = details.map((d) => (d?.record.llm as { cached?: boolean } | undefined)?.cached === true);
    assert.deepEqual(cached.sort(), [false, true], 'one answer fresh (A), one from the cache (B)');
  });

  it('continues on B a SMART launch completed on A, with one refresh when both race on an expired token', async () => {
    const jar = new Map<string, string>();
    const launch = await fetch(
      `${a.base}/smart/launch?iss=${encodeURIComponent(fhir.url)}&launch=two-instances`,
      { redirect: 'manual' },
    );
    assert.equal(launch.status, 302);
    cookieJar([launch.headers.getSetCookie()], jar);
    const authorize = await fetch(String(launch.headers.get('location')), { redirect: 'manual' });
    const back = new URL(String(authorize.headers.get('location')));
    assert.equal(back.origin, PUBLIC);
    // The load balancer sends the callback to B.
    const callback = await fetch(`${b.base}${back.pathname}${back.search}`, {
      redirect: 'manual',
      headers: { cookie: cookieHeader(jar) },
    });
    assert.equal(callback.status, 303);
    cookieJar([callback.headers.getSetCookie()], jar);
    const handle =
      new URL(String(callback.headers.get('location')), PUBLIC).searchParams.get('session') ?? '';
    const headers = { cookie: cookieHeader(jar), 'x-citecare-session': handle };
    const context = await fetch(`${a.base}/smart/api/context`, { headers });
    assert.equal(context.status, 200);
    assert.equal(((await context.json()) as { patientId: string }).patientId, SMART_PATIENT);

    // The FHIR server stops honouring the access token: both instances get a 401 at once and
    // must refresh once between them (the token endpoint refuses a reused refresh token).
    const grantsBefore = smart.stats.refreshGrants;
    const refusedBefore = smart.stats.refused.length;
    smart.expireAccessTokens();
    smart.refreshDelayMs = 300;
    const reads = await Promise.all(
      [a, b, a, b].map((i) => fetch(`${i.base}/smart/api/resource/Patient/${SMART_PATIENT}`, { headers })),
    );
    assert.deepEqual(
      reads.map((r) => r.status),
      [200, 200, 200, 200],
    );
    assert.equal(smart.stats.refreshGrants - grantsBefore, 1, 'one refresh for the session');
    assert.equal(smart.stats.refused.length, refusedBefore, 'no refresh token was reused');
    const again = await fetch(`${b.base}/smart/api/resource/Patient/${SMART_PATIENT}`, { headers });
    assert.equal(again.status, 200);
  });

  it('serves metrics on its own port only, counting the hooks each instance answered', async () => {
    const publicMetrics = await fetch(`${b.base}/metrics`);
    assert.equal(publicMetrics.status, 404);
    const text = await (await fetch(b.metrics)).text();
    assert.match(
      text,
      /^citecare_hook_duration_seconds_count\{service="citecare-order-sign",outcome="4xx"\} 1$/m,
    );
    assert.match(text, /^citecare_model_calls_total\{status="(ok|fallback)"\} 1$/m);
    assert.match(text, /^citecare_audit_append_failures_total 0$/m);
  });

  it('keeps one verifiable chain under concurrent appends, and loses no acknowledged record when A is killed', async () => {
    const acknowledged: string[] = [];
    let failedOnA = 0;
    const call = async (instance: Instance) => {
      try {
        const r = await hook(instance, 'citecare-order-sign', hookRequest('order-sign'));
        if (r.status !== 200) return;
        const { cards } = (await r.json()) as { cards: Array<{ uuid: string }> };
        // Cards leave only after their record was written: a card in hand is an acknowledged record.
        if (cards.length > 0) acknowledged.push(cards[0].uuid);
      } catch {
        if (instance === a) failedOnA += 1;
        else throw new Error('B failed while A was killed');
      }
    };
    // Phase 1: both instances append concurrently, 8 requests in flight, alternating.
    const queue = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b));
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await call(next);
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    assert.equal(acknowledged.length, 200);

    // Phase 2: load on both, and A is killed without warning in the middle of it.
    const killAt = acknowledged.length + 30;
    const load = Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? a : b));
    const killer = (async () => {
      while (acknowledged.length < killAt) await sleep(5);
      a.child.kill('SIGKILL');
    })();
    const worker2 = async () => {
      for (let next = load.shift(); next; next = load.shift()) await call(next);
    };
    await Promise.all([killer, ...Array.from({ length: 8 }, worker2)]);
    assert.ok(failedOnA > 0, 'A was killed while requests were in flight');
    // B carries on on the same chain once A's connection is gone.
    const after = await hook(b, 'citecare-order-sign', hookRequest('order-sign'));
    assert.equal(after.status, 200);
    assert.ok(((await after.json()) as { cards: unknown[] }).cards.length > 0);

    for (const uuid of acknowledged) {
      assert.ok(await store.recordForCard(uuid), `acknowledged card ${uuid} has its record`);
    }
    const verify = spawn(process.execPath, [BIN, 'audit', 'verify', '--json'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', AUDIT_DATABASE_URL: db.url, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    verify.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => verify.on('close', resolve));
    assert.equal(code, 0, out);
    const result = JSON.parse(out) as { ok: boolean; entries: number };
    assert.equal(result.ok, true);
    // 200 + the survivors of phase 2 + earlier tests' records and feedback, all in one chain.
    assert.ok(result.entries >= acknowledged.length + 1, `entries ${result.entries}`);
  });
});
