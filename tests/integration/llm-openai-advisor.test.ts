// The advisor against an OpenAI-compatible HTTP server started here: the real openai client
// (through LangChain) sends the requests, the fake answers from a script.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { testConfig } from '../../src/config.ts';
import { MemoryAdviceCache } from '../../src/llm/advice-cache.ts';
import type { StructuredChatModel } from '../../src/llm/chat-model.ts';
import { createOpenAIAdvisor, type OpenAIAdvisorOptions } from '../../src/llm/openai-advisor.ts';
import { noAdvisor } from '../../src/llm/types.ts';
import { createAdvisor } from '../../src/server/runtime.ts';
import { type FakeOpenAI, jsonAnswer, startFakeOpenAI } from '../helpers/fake-openai.ts';
import { groundedTriage, requestFixture, snapshotFixture, tokenOf } from '../helpers/llm-fixtures.ts';

let fake: FakeOpenAI;
before(async () => {
  fake = await startFakeOpenAI();
});
after(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

const config = () =>
  testConfig({
    LLM_PROVIDER: 'openai',
    OPENAI_API_KEY: 'sk-test-key',
    OPENAI_BASE_URL: fake.baseURL,
    LLM_MODEL: 'gpt-4o-mini',
    LLM_TIMEOUT_MS: '4000',
  });
const advisor = (opts: OpenAIAdvisorOptions = {}) =>
  createOpenAIAdvisor(config(), { retry: { baseDelayMs: 20 }, ...opts });

describe('OpenAI advisor: answers', () => {
  it('turns a grounded answer into verified statements, with prompt, model and usage recorded', async () => {
    fake.enqueue((req) =>
      jsonAnswer(groundedTriage(req.body, 2), { usage: { prompt_tokens: 812, completion_tokens: 95 } }),
    );
    const a = advisor();
    const r = await a.advise(requestFixture());
    assert.equal(r.status, 'ok', r.error);
    assert.equal(r.statements.length, 3);
    assert.deepEqual(r.triage?.rationale[0]?.evidence, ['Observation/obs-lac-1', 'Observation/obs-rr-2']);
    assert.equal(r.triage?.rationale[0]?.citations[0]?.chunkId, 'sepsis-guide#lactate');
    assert.equal(r.triage?.redFlags.length, 1);
    assert.deepEqual(r.triage?.expectedResources, ['labs', 'iv-fluids', 'iv-im-or-nebulised-medication']);
    assert.equal(r.finalTriage?.level, 2);
    assert.equal(r.finalTriage?.basis, 'model');
    assert.equal(r.prompt?.id, 'triage-rationale');
    assert.equal(r.prompt?.version, '2');
    assert.match(r.prompt?.sha256 ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(r.model, { provider: 'openai-compatible', name: 'gpt-4o-mini', temperature: 0 });
    assert.deepEqual(r.usage, { promptTokens: 812, completionTokens: 95 });
    assert.ok((r.promptTokens ?? 0) > 0 && (r.promptTokens ?? 0) < 2500);
    assert.ok(r.rawOutput?.includes('suggestedLevel'));
    assert.equal(r.cached, undefined);
    assert.equal(a.describe('triage'), 'gpt-4o-mini · prompt triage-rationale@2');
  });

  it('asks for strict json_schema structured output on /chat/completions', async () => {
    fake.enqueue((req) => jsonAnswer(groundedTriage(req.body)));
    await advisor().advise(requestFixture());
    assert.equal(fake.requests.length, 1);
    const [req] = fake.requests;
    assert.equal(req!.path, '/v1/chat/completions');
    assert.equal(req!.headers.authorization, 'Bearer sk-test-key');
    const body = req!.body as {
      model: string;
      temperature: number;
      response_format: {
        type: string;
        json_schema: { name: string; strict: boolean; schema: { required: string[] } };
      };
      messages: Array<{ role: string }>;
    };
    assert.equal(body.model, 'gpt-4o-mini');
    assert.equal(body.temperature, 0);
    assert.equal(body.response_format.type, 'json_schema');
    assert.equal(body.response_format.json_schema.name, 'triage_advice');
    assert.equal(body.response_format.json_schema.strict, true);
    assert.deepEqual(body.response_format.json_schema.schema.required.sort(), [
      'expectedResources',
      'rationale',
      'redFlags',
      'suggestedLevel',
    ]);
    assert.deepEqual(
      body.messages.map((m) => m.role),
      ['system', 'user'],
    );
  });

  it('uses the summary prompt for patient-view', async () => {
    fake.enqueue((req) =>
      jsonAnswer({
        statements: [{ text: 'Lactate is raised.', evidence: [tokenOf(req.body, 'lactate')], citations: [] }],
      }),
    );
    const r = await advisor().advise(requestFixture({ kind: 'summary' }));
    assert.equal(r.status, 'ok', r.error);
    assert.equal(r.prompt?.id, 'patient-summary');
    assert.deepEqual(r.statements[0]?.evidence, ['Observation/obs-lac-1']);
    assert.equal(
      (fake.requests[0]!.body as { response_format: { json_schema: { name: string } } }).response_format
        .json_schema.name,
      'patient_summary',
    );
  });

  it('drops hallucinated evidence tokens and chunk ids and counts them', async () => {
    fake.enqueue((req) => {
      const g = groundedTriage(req.body);
      g.rationale.push({ text: 'Creatinine is rising.', evidence: ['E404'], citations: [] });
      g.redFlags.push({
        text: 'Guideline says admit.',
        evidence: [],
        citations: [
          { chunkId: 'invented-guide#admission', quote: 'All such patients must be admitted now.' },
        ],
      });
      return jsonAnswer(g);
    });
    const r = await advisor().advise(requestFixture());
    assert.equal(r.status, 'ok', r.error);
    assert.equal(r.statements.length, 3);
    assert.deepEqual(r.droppedCounts, { 'unknown-evidence': 1, 'unknown-chunk': 1 });
    assert.ok(r.dropped.some((d) => d.text === 'Creatinine is rising.'));
    assert.ok(!JSON.stringify(r.statements).includes('admit'));
  });

  it('drops statements with fabricated quotes; falls back when too little survives', async () => {
    fake.enqueue((req) => {
      const g = groundedTriage(req.body);
      for (const s of [...g.rationale, ...g.redFlags]) {
        s.citations = [
          { chunkId: 'sepsis-guide#lactate', quote: 'Lactate over 2 always requires ICU admission.' },
        ];
      }
      return jsonAnswer(g);
    });
    const r = await advisor().advise(requestFixture());
    assert.equal(r.status, 'fallback');
    assert.deepEqual(r.droppedCounts, { 'quote-not-found': 3 });
    assert.equal(r.statements.length, 0);
    assert.equal(r.finalTriage, undefined, 'no model level is used from a fallback');
    assert.match(r.error ?? '', /too little survived/);
  });

  it('never lets the model make the patient less urgent than the floor', async () => {
    fake.enqueue((req) => jsonAnswer(groundedTriage(req.body, 4)));
    const r = await advisor().advise(requestFixture());
    assert.equal(r.status, 'ok');
    assert.equal(r.triage?.suggestedLevel, 4);
    assert.equal(r.finalTriage?.level, 2);
    assert.equal(r.finalTriage?.basis, 'floor-override');
    assert.match(r.finalTriage?.reasons[0] ?? '', /suggested level 4.*floor.*level 2/);
  });

  it('falls back on malformed JSON, schema violations and refusals without opening the circuit', async () => {
    const a = advisor();
    fake.enqueue({ content: '{"suggestedLevel": 2, "rationale": [' });
    const malformed = await a.advise(requestFixture({ budgetMs: 5001 }));
    assert.equal(malformed.status, 'fallback');
    assert.match(malformed.error ?? '', /not valid JSON/);
    assert.equal(malformed.rawOutput, '{"suggestedLevel": 2, "rationale": [');

    fake.enqueue(
      jsonAnswer({ suggestedLevel: 9, expectedResources: ['teleportation'], redFlags: [], rationale: 'x' }),
    );
    const invalid = await a.advise(
      requestFixture({ budgetMs: 5002, snapshot: snapshotFixture({ chiefComplaint: 'b' }) }),
    );
    assert.equal(invalid.status, 'fallback');
    assert.match(invalid.error ?? '', /schema/);

    fake.enqueue({ refusal: "I'm sorry, I can't help with that." });
    const refused = await a.advise(requestFixture({ snapshot: snapshotFixture({ chiefComplaint: 'c' }) }));
    assert.equal(refused.status, 'fallback');
    assert.match(refused.error ?? '', /refused/);
    assert.equal(a.breaker.state, 'closed');
    assert.equal(fake.requests.length, 3, 'output problems are not retried');
  });
});

describe('OpenAI advisor: time budget, retries and the circuit breaker', () => {
  it('returns timeout within the budget, finishes in the background, then serves the cached result', async () => {
    fake.enqueue((req) => jsonAnswer(groundedTriage(req.body), { delayMs: 1200 }));
    const a = advisor();
    const t0 = Date.now();
    const first = await a.advise(requestFixture({ budgetMs: 300 }));
    const elapsed = Date.now() - t0;
    assert.equal(first.status, 'timeout');
    assert.ok(elapsed < 300 + 200, `answered after ${elapsed} ms`);
    assert.equal(first.prompt?.id, 'triage-rationale');

    await a.settle();
    const t1 = Date.now();
    const second = await a.advise(requestFixture({ budgetMs: 300 }));
    assert.ok(Date.now() - t1 < 100);
    assert.equal(second.status, 'ok', second.error);
    assert.equal(second.cached, true);
    assert.equal(second.finalTriage?.level, 2);
    assert.equal(fake.requests.length, 1, 'the cached answer needs no new call');
  });

  it('never waits longer than LLM_TIMEOUT_MS, whatever budget the caller offers', async () => {
    fake.enqueue((req) => jsonAnswer(groundedTriage(req.body), { delayMs: 450 }));
    const a = createOpenAIAdvisor(
      testConfig({
        LLM_PROVIDER: 'openai',
        OPENAI_API_KEY: 'k',
        OPENAI_BASE_URL: fake.baseURL,
        LLM_TIMEOUT_MS: '200',
      }),
    );
    const t0 = Date.now();
    const r = await a.advise(requestFixture({ budgetMs: 10_000 }));
    assert.equal(r.status, 'timeout');
    assert.ok(Date.now() - t0 < 200 + 200);
    await a.settle();
    assert.equal(
      (await a.advise(requestFixture())).cached,
      true,
      'the slow answer still finished and was cached',
    );
  });

  it('joins a call still running instead of sending the same request twice', async () => {
    fake.enqueue((req) => jsonAnswer(groundedTriage(req.body), { delayMs: 400 }));
    const a = advisor();
    const [x, y] = await Promise.all([a.advise(requestFixture()), a.advise(requestFixture())]);
    assert.equal(x.status, 'ok');
    assert.equal(y.status, 'ok');
    assert.equal(fake.requests.length, 1);
  });

  it('waits out a short Retry-After on 429 and succeeds inside the budget', async () => {
    fake.enqueue(
      {
        status: 429,
        headers: { 'retry-after': '1' },
        body: { error: { message: 'Rate limit reached', type: 'rate_limit' } },
      },
      (req) => jsonAnswer(groundedTriage(req.body)),
    );
    const t0 = Date.now();
    const r = await advisor().advise(requestFixture({ budgetMs: 4000 }));
    assert.equal(r.status, 'ok', r.error);
    assert.ok(Date.now() - t0 >= 950, 'Retry-After was respected');
    assert.equal(fake.requests.length, 2);
  });

  it('does not wait for a Retry-After that does not fit the budget', async () => {
    fake.enqueue({ status: 429, headers: { 'retry-after': '3' }, body: { error: { message: 'slow down' } } });
    const t0 = Date.now();
    const r = await advisor().advise(requestFixture({ budgetMs: 1000 }));
    assert.equal(r.status, 'error');
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(fake.requests.length, 1);
  });

  it('retries 500s, reports an error, and opens the circuit so the endpoint is left alone', async () => {
    let clock = Date.now();
    const a = advisor({ breaker: { failureThreshold: 3, openMs: 30_000, now: () => clock } });
    // The fake answers 500 whenever nothing is queued.
    const first = await a.advise(requestFixture());
    assert.equal(first.status, 'error');
    assert.match(first.error ?? '', /500.*after 3 attempts/);
    assert.equal(fake.requests.length, 3, 'one call and two retries');

    await a.advise(requestFixture({ snapshot: snapshotFixture({ chiefComplaint: 'two' }) }));
    await a.advise(requestFixture({ snapshot: snapshotFixture({ chiefComplaint: 'three' }) }));
    assert.equal(a.breaker.state, 'open');
    const seen = fake.requests.length;
    const blocked = await a.advise(requestFixture({ snapshot: snapshotFixture({ chiefComplaint: 'four' }) }));
    assert.equal(blocked.status, 'circuit-open');
    assert.equal(fake.requests.length, seen, 'no call while the circuit is open');

    clock += 30_001;
    assert.equal(a.breaker.state, 'half-open');
    fake.enqueue((req) => jsonAnswer(groundedTriage(req.body)));
    const trial = await a.advise(requestFixture({ snapshot: snapshotFixture({ chiefComplaint: 'five' }) }));
    assert.equal(trial.status, 'ok', trial.error);
    assert.equal(a.breaker.state, 'closed');
  });
});

/** A model endpoint that never answers (counts the calls it was given). */
function hangingModel() {
  const model = {
    calls: 0,
    provider: 'test',
    model: 'hang',
    temperature: 0,
    invoke: () => {
      model.calls++;
      return new Promise<never>(() => {});
    },
  };
  return model satisfies StructuredChatModel;
}

const hangConfig = () => testConfig({ LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'k', LLM_TIMEOUT_MS: '100' });
const patient = (i: number) =>
  requestFixture({ budgetMs: 60, snapshot: snapshotFixture({ chiefComplaint: `p${i}` }) });

describe('OpenAI advisor: a hung endpoint and the hook budget', () => {
  it('counts the cache lookup against the budget and does not wait on a hung cache', async () => {
    const hungCache = { get: () => new Promise<never>(() => {}), set: async () => {} };
    const a = createOpenAIAdvisor(hangConfig(), { chatModel: hangingModel(), cache: hungCache });
    const t0 = Date.now();
    const r = await Promise.race([
      a.advise(requestFixture({ budgetMs: 300 })),
      new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 2000)),
    ]);
    assert.notEqual(r, 'stuck');
    assert.ok(Date.now() - t0 < 300 + 150, `answered after ${Date.now() - t0} ms`);
  });

  it('does not pay for loading the tokeniser inside the first call (a cold process)', () => {
    const advisorModule = fileURLToPath(new URL('../../src/llm/openai-advisor.ts', import.meta.url));
    const fixtures = fileURLToPath(new URL('../helpers/llm-fixtures.ts', import.meta.url));
    const script = `
      const { createOpenAIAdvisor } = await import(${JSON.stringify(advisorModule)});
      const { requestFixture } = await import(${JSON.stringify(fixtures)});
      const chatModel = { provider: 'x', model: 'm', temperature: 0, invoke: () => new Promise(() => {}) };
      const a = createOpenAIAdvisor({ LLM_TIMEOUT_MS: 8000, OPENAI_API_KEY: 'k', LLM_MODEL: 'm', LLM_TEMPERATURE: 0 }, { chatModel });
      const t0 = performance.now();
      const r = await a.advise(requestFixture({ budgetMs: 300 }));
      console.log(JSON.stringify({ status: r.status, ms: Math.round(performance.now() - t0) }));
      process.exit(0);`;
    const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    const line = out.stdout.trim().split('\n').pop() ?? '';
    const r = JSON.parse(line || '{}') as { status?: string; ms?: number };
    assert.equal(r.status, 'timeout', out.stderr);
    assert.ok((r.ms ?? 9999) < 300 + 200, `a cold first call took ${r.ms} ms for a 300 ms budget`);
  });

  it('caps concurrent calls, counts budget misses towards opening the circuit, and abandons hung attempts', async () => {
    const model = hangingModel();
    const a = createOpenAIAdvisor(hangConfig(), {
      chatModel: model,
      breaker: { failureThreshold: 3, openMs: 60_000 },
    });
    const first = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => a.advise(patient(i))));
    assert.ok(first.every((r) => r.status === 'timeout'));
    assert.ok(model.calls <= 4, `${model.calls} calls started against a hung endpoint`);
    assert.match(first.find((r) => /still running/.test(r.error ?? ''))?.error ?? '', /not called/);
    assert.equal(a.breaker.state, 'open', 'budget misses opened the circuit');
    const later = await Promise.all([7, 8, 9, 10].map((i) => a.advise(patient(i))));
    assert.ok(later.every((r) => r.status === 'circuit-open' || r.status === 'timeout'));
    assert.ok(model.calls <= 4);
    // Each attempt is abandoned after 3 × LLM_TIMEOUT_MS (300 ms), so nothing keeps running.
    const settled = await Promise.race([
      a.settle().then(() => 'settled'),
      new Promise((resolve) => setTimeout(() => resolve('still running'), 2000)),
    ]);
    assert.equal(settled, 'settled');
  });
});

describe('OpenAI advisor: final level and cache', () => {
  it('without current vital signs keeps level 3 when the model suggests a less acute one', async () => {
    fake.enqueue((req) =>
      jsonAnswer({
        suggestedLevel: 5,
        expectedResources: [],
        redFlags: [],
        rationale: [
          { text: 'Lactate is 4.1 mmol/L.', evidence: [tokenOf(req.body, 'lactate')], citations: [] },
        ],
      }),
    );
    const noFloor = {
      level: 3 as const,
      floorLevel: null,
      reasons: [],
      evidence: [],
      basis: 'default' as const,
    };
    const request = requestFixture({
      snapshot: snapshotFixture({ vitals: {} }),
      assessment: { ...requestFixture().assessment, triage: noFloor },
    });
    const r = await advisor().advise(request);
    assert.equal(r.status, 'ok', r.error);
    assert.equal(r.finalTriage?.level, 3);
    assert.equal(r.finalTriage?.floorLevel, null);
    assert.match(r.finalTriage?.reasons[0] ?? '', /without current vital signs CiteCare keeps level 3/);
  });

  it('caches a fallback for a minute only, and keys the cache on the "as of" time in 5-minute buckets', async () => {
    let clock = Date.parse('2026-11-26T12:00:00Z');
    const cache = new MemoryAdviceCache({ now: () => clock });
    const a = advisor({ cache });
    fake.enqueue({ content: 'not json' });
    assert.equal((await a.advise(requestFixture())).status, 'fallback');
    clock += 30_000;
    assert.equal((await a.advise(requestFixture())).cached, true, 'within the minute');
    clock += 31_000;
    fake.enqueue((req) => jsonAnswer(groundedTriage(req.body)));
    const again = await a.advise(requestFixture());
    assert.equal(again.status, 'ok', 'the fallback was not kept: the model was asked again');
    assert.equal(fake.requests.length, 2);

    const later = (iso: string) => requestFixture({ snapshot: snapshotFixture({ at: iso }) });
    assert.equal((await a.advise(later('2026-11-26T12:04:00Z'))).cached, true, 'same 5-minute bucket');
    fake.enqueue((req) => jsonAnswer(groundedTriage(req.body)));
    const next = await a.advise(later('2026-11-26T12:06:00Z'));
    assert.equal(next.cached, undefined, 'a new bucket asks again: the relative times changed');
    assert.equal(fake.requests.length, 3);
  });
});

describe('createAdvisor', () => {
  it('accepts OPENAI_BASE_URL without a key (keyless local servers)', async () => {
    const config = { ...testConfig(), LLM_PROVIDER: 'openai' as const, OPENAI_BASE_URL: fake.baseURL };
    assert.equal(config.OPENAI_API_KEY, undefined);
    const a = createAdvisor(config);
    assert.equal(a.enabled, true);
    fake.enqueue((req) => jsonAnswer(groundedTriage(req.body)));
    const r = await a.advise(requestFixture());
    assert.equal(r.status, 'ok', r.error);
    assert.equal(fake.requests.length, 1);
  });

  it('chooses the model from configuration, or deterministic mode', async () => {
    assert.equal(createAdvisor(testConfig()), noAdvisor);
    assert.equal(noAdvisor.describe(), 'no model used (deterministic mode)');
    const r = await createAdvisor(testConfig()).advise(requestFixture());
    assert.equal(r.status, 'disabled');
    const a = createAdvisor(config());
    assert.equal(a.enabled, true);
    assert.equal(a.describe(), 'gpt-4o-mini · prompts triage-rationale@2, patient-summary@2');
  });
});
