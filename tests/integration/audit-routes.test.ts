import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import type { AuditDatabase, AuditRecordPage } from '../../src/audit/types.ts';
import { createAuditorVerifier } from '../../src/auth/auditor-auth.ts';
import { auditRoutes } from '../../src/server/audit-routes.ts';
import { registerSecurityHeaders } from '../../src/server/security-headers.ts';
import { openApiProblems, type RecordedResponse } from '../helpers/openapi-check.ts';
import { createTestIdp, type TestIdp } from './audit-auth-fixtures.ts';
import { makeFeedback, makeRecord } from './audit-store-fixtures.ts';

describe('auditor API', () => {
  let app: FastifyInstance;
  let store: AuditDatabase;
  let idp: TestIdp;
  let auth: { authorization: string };
  const logs: Array<Record<string, unknown>> = [];
  /** Every /audit/api response the tests below received, checked against the OpenAPI document last. */
  const apiResponses: RecordedResponse[] = [];
  const shown = makeRecord({
    service: 'citecare-sepsis',
    patient: 'Patient/p1',
    time: '2026-11-20T10:00:00Z',
  });
  const silent = makeRecord({
    service: 'citecare-triage',
    patient: 'Patient/p2',
    silent: true,
    time: '2026-11-21T10:00:00Z',
  });

  before(async () => {
    idp = await createTestIdp();
    store = await openAuditStore('sqlite::memory:');
    app = Fastify({
      logger: { level: 'info', stream: { write: (line: string) => logs.push(JSON.parse(line)) } },
    });
    // Security headers come from the app's one helmet configuration, as in buildApp.
    await registerSecurityHeaders(app, idp.config);
    await app.register(auditRoutes, {
      prefix: '/audit',
      store,
      verifyAuditor: createAuditorVerifier(idp.config, { jwks: idp.jwks }),
      config: idp.config,
    });
    app.addHook('onSend', async (request, reply, payload) => {
      const url = request.url;
      if (url.startsWith('/audit/api/') && !url.startsWith('/audit/api/openapi.json')) {
        apiResponses.push({
          method: request.method,
          url,
          statusCode: reply.statusCode,
          contentType: String(reply.getHeader('content-type') ?? ''),
          body: typeof payload === 'string' ? payload : '',
        });
      }
      return payload;
    });
    await store.append(shown);
    await store.append(silent);
    await store.appendFeedback(
      makeFeedback(shown.cardIds[0], { outcome: 'overridden', overrideReason: { display: 'Not relevant' } }),
    );
    auth = { authorization: `Bearer ${await idp.token()}` };
  });
  after(async () => {
    await app.close();
    await store.close();
  });

  it('refuses callers without an auditor token, saying nothing more', async () => {
    const none = await app.inject({ url: '/audit/api/records' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer');
    assert.deepEqual(none.json(), { error: 'unauthorized' });
    const cdsClient = await idp.token(
      { roles: ['auditor'] },
      { issuer: 'https://ehr.example', audience: 'http://localhost:3000/cds-services/x' },
    );
    const other = await app.inject({
      url: '/audit/api/verify',
      headers: { authorization: `Bearer ${cdsClient}` },
    });
    assert.equal(other.statusCode, 401);
    const nurse = await app.inject({
      url: '/audit/api/export?format=ndjson',
      headers: { authorization: `Bearer ${await idp.token({ roles: ['nurse'] })}` },
    });
    assert.equal(nurse.statusCode, 403);
    assert.deepEqual(nurse.json(), { error: 'forbidden' });
  });

  it('lists and filters records, marking silent-mode ones', async () => {
    const all = await app.inject({ url: '/audit/api/records', headers: auth });
    assert.equal(all.statusCode, 200);
    assert.equal(all.headers['cache-control'], 'no-store');
    const page = all.json() as AuditRecordPage;
    assert.deepEqual(
      page.records.map((r) => [r.service, r.silent]),
      [
        ['citecare-triage', true],
        ['citecare-sepsis', false],
      ],
    );
    const q = async (query: string) =>
      (
        (await app.inject({ url: `/audit/api/records?${query}`, headers: auth })).json() as AuditRecordPage
      ).records.map((r) => r.patient);
    assert.deepEqual(await q('outcome=overridden'), ['Patient/p1']);
    assert.deepEqual(await q('silent=true'), ['Patient/p2']);
    assert.deepEqual(await q('patient=p2'), ['Patient/p2']);
    assert.deepEqual(await q('from=2026-11-21T00:00:00Z'), ['Patient/p2']);
    assert.deepEqual(await q('to=2026-11-21'), ['Patient/p1']);
    assert.deepEqual(await q('fallback=false&service=citecare-sepsis&model=gpt-4o-mini'), ['Patient/p1']);
    const bad = await app.inject({ url: '/audit/api/records?outcome=maybe&limit=9999', headers: auth });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().problems.length, 2);
    const badCursor = await app.inject({ url: '/audit/api/records?cursor=zzz', headers: auth });
    assert.equal(badCursor.statusCode, 400);
  });

  it('returns a record with its feedback, and 404 for an unknown id', async () => {
    const [first] = (
      (await app.inject({ url: '/audit/api/records?silent=false', headers: auth })).json() as AuditRecordPage
    ).records;
    const res = await app.inject({ url: `/audit/api/records/${first.id}`, headers: auth });
    assert.equal(res.statusCode, 200);
    const detail = res.json();
    assert.equal(detail.record.cards[0].uuid, shown.cardIds[0]);
    assert.equal(detail.feedback[0].overrideReason.display, 'Not relevant');
    assert.equal((await app.inject({ url: '/audit/api/records/nope', headers: auth })).statusCode, 404);
  });

  it('reports metrics and chain verification', async () => {
    const m = (await app.inject({ url: '/audit/api/metrics', headers: auth })).json();
    assert.equal(m.records, 2);
    assert.equal(m.silentRecords, 1);
    assert.equal(m.byService[0].overrideRate, 1);
    assert.deepEqual(m.overrideReasons, [{ reason: 'Not relevant', count: 1 }]);
    const filtered = (
      await app.inject({ url: '/audit/api/metrics?service=citecare-triage', headers: auth })
    ).json();
    assert.equal(filtered.cardsShown, 0);
    const v = (await app.inject({ url: '/audit/api/verify', headers: auth })).json();
    assert.equal(v.ok, true);
    assert.equal(v.entries, 3);
  });

  it('exports NDJSON and a FHIR Bundle as downloads', async () => {
    const nd = await app.inject({ url: '/audit/api/export?format=ndjson', headers: auth });
    assert.equal(nd.statusCode, 200);
    assert.match(String(nd.headers['content-type']), /application\/x-ndjson/);
    assert.match(
      String(nd.headers['content-disposition']),
      /attachment; filename="citecare-audit-.*\.ndjson"/,
    );
    assert.equal(nd.body.trimEnd().split('\n').length, 3);
    const fhir = await app.inject({ url: '/audit/api/export?format=fhir', headers: auth });
    assert.match(String(fhir.headers['content-type']), /application\/fhir\+json/);
    const bundle = fhir.json();
    assert.equal(bundle.resourceType, 'Bundle');
    assert.equal(bundle.entry.length, 5);
    assert.equal((await app.inject({ url: '/audit/api/export?format=csv', headers: auth })).statusCode, 400);
  });

  it('serves the page and its assets without data and under a strict content security policy', async () => {
    const page = await app.inject({ url: '/audit' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    assert.match(page.body, /<script type="module" src="\/audit\/assets\/audit\.js">/);
    assert.match(page.body, /<label for="token">/);
    // audit.js imports the others; the shared web-common modules are served beside them.
    const modules = [
      'audit.js',
      'audit-api.js',
      'audit-filters.js',
      'audit-format.js',
      'audit-records.js',
      'audit-metrics.js',
      'audit-charts.js',
      'audit-record.js',
      'web-common/dom.js',
      'web-common/http.js',
    ];
    for (const name of modules) {
      const js = await app.inject({ url: `/audit/assets/${name}` });
      assert.equal(js.statusCode, 200, name);
      assert.match(String(js.headers['content-type']), /javascript/);
      assert.ok(
        !/innerHTML|outerHTML|insertAdjacentHTML/.test(js.body),
        `${name} never injects API data as HTML`,
      );
    }
    assert.equal((await app.inject({ url: '/audit/assets/audit.css' })).statusCode, 200);
    assert.equal((await app.inject({ url: '/audit/assets/web-common/common.css' })).statusCode, 200);
  });

  it('logs every auditor read with the auditor, the endpoint and the filters or record asked for', async () => {
    logs.length = 0;
    const rec = (await store.list({})).records[0];
    await app.inject({ url: '/audit/api/records?service=citecare-sepsis&outcome=overridden', headers: auth });
    await app.inject({ url: `/audit/api/records/${rec.id}`, headers: auth });
    await app.inject({ url: '/audit/api/records' });
    const reads = logs.filter((l) => l.msg === 'auditor read');
    assert.equal(reads.length, 2, 'one line per authorized read, none for a refused one');
    assert.equal(reads[0].level, 30);
    assert.equal(reads[0].auditor, 'auditor-ann');
    assert.equal(reads[0].endpoint, 'GET /audit/api/records');
    assert.deepEqual(reads[0].filters, { service: 'citecare-sepsis', outcome: 'overridden' });
    assert.ok(Date.parse(String(reads[0].at)));
    assert.equal(reads[1].endpoint, 'GET /audit/api/records/:id');
    assert.deepEqual(reads[1].target, { id: rec.id });
  });

  it('answers every call above as its OpenAPI document says', async () => {
    const res = await app.inject({ url: '/audit/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.0.3');
    assert.deepEqual(Object.keys(doc.paths).sort(), [
      '/audit/api/export',
      '/audit/api/metrics',
      '/audit/api/records',
      '/audit/api/records/{id}',
      '/audit/api/verify',
    ]);
    const statuses = new Set(apiResponses.map((r) => r.statusCode));
    for (const s of [200, 400, 401, 403, 404]) assert.ok(statuses.has(s), `a ${s} answer was checked`);
    assert.deepEqual(openApiProblems(doc, apiResponses), []);
  });
});
