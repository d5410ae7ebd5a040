import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { testConfig } from '../../src/config.ts';
import {
  createGuidelineIndexWithCorpus,
  guidelineIndexOptions,
} from '../../src/guidelines/adapters/create-guideline-index.ts';
import { reciprocalRankFusion } from '../../src/guidelines/rrf.ts';

// A tiny OpenAI-compatible embeddings endpoint with deterministic vectors: each known word adds
// weight to one "concept" dimension, so "nephron" and "glomerular" land close together although
// they share no letters (which BM25 cannot see).
const CONCEPTS: Record<string, number> = { nephron: 0, glomerular: 0, damage: 0, alveolar: 1, cardiac: 2 };

function fakeVector(text: string): number[] {
  const v = [0, 0, 0, 0.1];
  for (const w of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    const dim = CONCEPTS[w];
    if (dim !== undefined) v[dim]! += 1;
  }
  return v;
}

interface FakeState {
  mode: 'ok' | 'fail-all' | 'fail-queries' | 'slow-queries';
  requests: Array<{ auth?: string; model: string; inputs: number }>;
}

const state: FakeState = { mode: 'ok', requests: [] };
let server: Server;
let baseUrl: string;

async function readJson(req: IncomingMessage): Promise<{ model: string; input: string | string[] }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const dirs: string[] = [];
let docs: string;

before(async () => {
  server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
      res.writeHead(404).end();
      return;
    }
    const body = await readJson(req);
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    state.requests.push({ auth: req.headers.authorization, model: body.model, inputs: inputs.length });
    const isQuery = inputs.length === 1;
    if (state.mode === 'fail-all' || (state.mode === 'fail-queries' && isQuery)) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'embedding backend down' } }));
      return;
    }
    if (state.mode === 'slow-queries' && isQuery) await new Promise((r) => setTimeout(r, 1000));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        object: 'list',
        model: body.model,
        data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: fakeVector(t) })),
        usage: { prompt_tokens: 1, total_tokens: 1 },
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

  docs = mkdtempSync(join(tmpdir(), 'citecare-hybrid-'));
  dirs.push(docs);
  const doc = (id: string, text: string) =>
    writeFileSync(
      join(docs, `${id}.md`),
      `---\nid: ${id}\ntitle: Protocol ${id}\nissuer: Example Hospital\nyear: 2025\nurl: https://example.org/${id}\nreviewed: 2026-11-26\ntopics: [ckd]\n---\n\n## Part one\n${text}\n`,
    );
  doc('heart-c', 'Cardiac muscle needs oxygen.');
  doc('kidney-a', 'Glomerular injury lowers filtration.');
  doc('lung-b', 'Alveolar damage impairs gas exchange.');
});

after(() => {
  server.closeAllConnections();
  server.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

beforeEach(() => {
  state.mode = 'ok';
  state.requests = [];
});

function options(extra: Parameters<typeof guidelineIndexOptions>[1] = {}) {
  const config = testConfig({
    GUIDELINES_DIR: docs,
    EMBEDDINGS_BASE_URL: baseUrl,
    EMBEDDINGS_MODEL: 'fake-embed',
    OPENAI_API_KEY: 'sk-test',
  });
  return guidelineIndexOptions(config, { cache: 'off', ...extra });
}

describe('reciprocal rank fusion', () => {
  it('sums 1/(60 + rank) over the lists', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b'],
      ['b', 'c'],
    ]);
    assert.equal(fused.get('a'), 1 / 61);
    assert.equal(fused.get('b'), 1 / 62 + 1 / 61);
    assert.equal(fused.get('c'), 1 / 62);
  });
});

describe('hybrid retrieval with an embedding endpoint', () => {
  it('finds a passage BM25 misses and fuses both rankings by RRF (k = 60)', async () => {
    const warnings: string[] = [];
    const { index } = await createGuidelineIndexWithCorpus(options({ onWarning: (w) => warnings.push(w) }));
    assert.equal(index.mode, 'hybrid');
    assert.deepEqual(state.requests[0], { auth: 'Bearer sk-test', model: 'fake-embed', inputs: 3 });

    const hits = await index.search({ text: 'nephron damage', k: 3 });
    assert.deepEqual(
      hits.map((h) => h.chunkId),
      ['lung-b#part-one', 'kidney-a#part-one', 'heart-c#part-one'],
    );
    // lung-b is first in BM25 and second in the dense list; kidney-a only first in the dense list.
    assert.equal(hits[0]!.score, 1 / 61 + 1 / 62);
    assert.equal(hits[1]!.score, 1 / 61);
    assert.deepEqual(warnings, []);

    const { index: lexical } = await createGuidelineIndexWithCorpus({ dirs: [docs] });
    assert.equal(lexical.mode, 'bm25');
    assert.deepEqual(
      (await lexical.search({ text: 'nephron damage', k: 3 })).map((h) => h.chunkId),
      ['lung-b#part-one'],
    );
  });

  it('falls back to BM25 alone when the query embedding fails', async () => {
    const warnings: string[] = [];
    const { index } = await createGuidelineIndexWithCorpus(options({ onWarning: (w) => warnings.push(w) }));
    state.mode = 'fail-queries';
    const hits = await index.search({ text: 'nephron damage', k: 3 });
    assert.deepEqual(
      hits.map((h) => h.chunkId),
      ['lung-b#part-one'],
    );
    assert.match(warnings.join('\n'), /embedding search failed, using BM25 only/);
  });

  it('falls back to BM25 alone when the embedding endpoint is too slow', async () => {
    const warnings: string[] = [];
    const opts = options({ onWarning: (w) => warnings.push(w) });
    const { index } = await createGuidelineIndexWithCorpus({
      ...opts,
      embeddings: { ...opts.embeddings!, queryTimeoutMs: 150 },
    });
    state.mode = 'slow-queries';
    const started = Date.now();
    const hits = await index.search({ text: 'nephron damage', k: 3 });
    assert.ok(Date.now() - started < 900, 'the search must not wait for the slow endpoint');
    assert.deepEqual(
      hits.map((h) => h.chunkId),
      ['lung-b#part-one'],
    );
    assert.equal(warnings.length, 1);
  });

  it('starts in BM25 mode when the endpoint is down at start', async () => {
    state.mode = 'fail-all';
    const warnings: string[] = [];
    const { index } = await createGuidelineIndexWithCorpus(options({ onWarning: (w) => warnings.push(w) }));
    assert.equal(index.mode, 'bm25');
    assert.match(warnings.join('\n'), /guideline embeddings unavailable, using BM25 only/);
    assert.equal((await index.search({ text: 'alveolar' }))[0]?.chunkId, 'lung-b#part-one');
  });

  it('caches passage vectors with the index, so a restart embeds only queries', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'citecare-hybrid-cache-'));
    dirs.push(cacheDir);
    const first = await createGuidelineIndexWithCorpus(options({ cacheDir, cache: 'read-write' }));
    assert.equal(first.cache?.written, true);
    state.requests = [];
    const second = await createGuidelineIndexWithCorpus(options({ cacheDir, cache: 'read-write' }));
    assert.equal(second.index.mode, 'hybrid');
    assert.equal(state.requests.length, 0);
    await second.index.search({ text: 'nephron' });
    assert.deepEqual(
      state.requests.map((r) => r.inputs),
      [1],
    );
  });
});
