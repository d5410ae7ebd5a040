// /metrics as an operator scrapes it: Prometheus text on its own listener, with the contract names
// (docs: interfaces.md, "Operations") present and their numbers moving as hooks are served.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildMetricsApp } from '../../src/server/metrics-server.ts';
import { fullPrefetch, hookRequest } from '../fixtures/cds/patient.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.ts';

/** The value of one sample line, `name{labels} value`, or 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_:]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries(
      (m[2] ?? '')
        .split(',')
        .filter(Boolean)
        .map((kv) => {
          const [k, v] = kv.split('=');
          return [k, JSON.parse(v)];
        }),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return 0;
}

describe('Prometheus metrics', () => {
  let fake: FakeOpenAI;
  let t: TestApp;
  let scrape: () => Promise<string>;
  let metricsApp: Awaited<ReturnType<typeof buildMetricsApp>>;
  before(async () => {
    fake = await startFakeOpenAI();
    t = await buildTestApp({
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: fake.baseURL,
      LLM_MODEL: 'fake-model',
      HOOK_BUDGET_MS: '3000',
    });
    metricsApp = await buildMetricsApp(t.runtime.metrics);
    scrape = async () => {
      const r = await metricsApp.inject({ method: 'GET', url: '/metrics' });
      assert.equal(r.statusCode, 200);
      assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      return r.body;
    };
  });
  after(async () => {
    await metricsApp.close();
    await t.close();
    await fake.close();
  });

  async function hook(id: string, payload: unknown, auth = true) {
    const url = `/cds-services/${id}`;
    return t.app.inject({
      method: 'POST',
      url,
      headers: {
        ...(auth ? { authorization: `Bearer ${await t.token(url)}` } : {}),
        'content-type': 'application/json',
      },
      payload: JSON.stringify(payload),
    });
  }

  it('is not served on the public port', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(r.statusCode, 404);
  });

  it('counts hooks by service and outcome, cards by indicator, model calls, audit appends and readiness', async () => {
    const before = await scrape();
    for (const name of [
      'citecare_hook_duration_seconds',
      'citecare_model_calls_total',
      'citecare_audit_append_failures_total',
      'citecare_cards_total',
      'citecare_model_tokens_total',
      'citecare_verifier_drops_total',
      'citecare_audit_append_duration_seconds',
      'citecare_fhir_fetch_duration_seconds',
      'citecare_fhir_fetch_errors_total',
      'citecare_ready',
    ]) {
      assert.match(before, new RegExp(`^# TYPE ${name} `, 'm'), `${name} is declared`);
    }

    // A cards answer (the model endpoint answers 500 → a fallback), a 4xx and a 412.
    const ok = await hook('citecare-encounter-start', hookRequest('encounter-start'));
    assert.equal(ok.statusCode, 200);
    assert.ok((ok.json() as { cards: unknown[] }).cards.length > 0);
    const unauth = await hook('citecare-patient-view', hookRequest('patient-view'), false);
    assert.equal(unauth.statusCode, 401);
    const { patient: _p, ...noPatient } = fullPrefetch();
    const missing = await hook('citecare-patient-view', hookRequest('patient-view', noPatient));
    assert.equal(missing.statusCode, 412);
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);

    const after = await scrape();
    const count = (service: string, outcome: string) =>
      sample(after, 'citecare_hook_duration_seconds_count', { service, outcome }) -
      sample(before, 'citecare_hook_duration_seconds_count', { service, outcome });
    assert.equal(count('citecare-encounter-start', 'cards'), 1);
    assert.equal(count('citecare-patient-view', '4xx'), 1);
    assert.equal(count('citecare-patient-view', '412'), 1);
    assert.ok(
      sample(after, 'citecare_hook_duration_seconds_sum', {
        service: 'citecare-encounter-start',
        outcome: 'cards',
      }) > 0,
    );

    const modelCalls = ['ok', 'fallback', 'timeout', 'breaker_open', 'error'].reduce(
      (n, status) => n + sample(after, 'citecare_model_calls_total', { status }),
      0,
    );
    assert.equal(modelCalls, 1, 'one model call, whatever its status');
    assert.ok(sample(after, 'citecare_model_calls_total', { status: 'ok' }) === 0);
    const cards = ['critical', 'warning', 'info'].reduce(
      (n, indicator) => n + sample(after, 'citecare_cards_total', { indicator }),
      0,
    );
    assert.equal(cards, (ok.json() as { cards: unknown[] }).cards.length);
    // Two records: the cards answer's and the 412's (a 412 is recorded and timed like any append).
    assert.equal(sample(after, 'citecare_audit_append_duration_seconds_count'), 2);
    assert.equal(sample(after, 'citecare_audit_append_failures_total'), 0);
    assert.equal(sample(after, 'citecare_ready'), 1);
  });
});
