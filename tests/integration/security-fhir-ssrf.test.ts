// Finding 2: the EHR's token must not be usable to probe other hosts. Production refuses to start
// without FHIR_SERVERS_ALLOWED, FHIR fetches never follow a redirect, and a 412 says nothing about
// what answered (the detail goes to the log and the audit record).
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { fullPrefetch, hookRequest, PATIENT_ID } from '../fixtures/cds/patient.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

const SERVICE = '/cds-services/citecare-patient-view';
const TOKEN = 'ehr-access-token-do-not-leak-9d1';
const GENERIC = 'Required data could not be obtained from the FHIR server';

async function listen(handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));

describe('security: production needs a FHIR server allowlist', () => {
  it('refuses to start in production without FHIR_SERVERS_ALLOWED, and names it', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://cds.example.org' }),
      /FHIR_SERVERS_ALLOWED/,
    );
    const ok = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_BASE_URL: 'https://cds.example.org',
      FHIR_SERVERS_ALLOWED: 'https://ehr.example.org/fhir',
    });
    assert.deepEqual(ok.FHIR_SERVERS_ALLOWED, ['https://ehr.example.org/fhir']);
  });
});

describe('security: FHIR fetches', () => {
  let t: TestApp;
  const logs: string[] = [];
  let target: { server: Server; url: string };
  let redirector: { server: Server; url: string };
  let forbidden: { server: Server; url: string };
  const reachedTarget: Array<{ url?: string; authorization?: string }> = [];
  before(async () => {
    target = await listen((req, res) => {
      reachedTarget.push({ url: req.url, authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.end(JSON.stringify({ resourceType: 'Patient', id: PATIENT_ID }));
    });
    redirector = await listen((req, res) => {
      res.writeHead(302, { location: `${target.url}${req.url}` });
      res.end();
    });
    forbidden = await listen((_req, res) => {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('internal admin console: forbidden');
    });
    t = await buildTestApp({ LOG_LEVEL: 'info' }, { logStream: { write: (l) => logs.push(l) } });
  });
  after(async () => {
    await t.close();
    await Promise.all([close(target.server), close(redirector.server), close(forbidden.server)]);
  });

  async function call(fhirServer: string) {
    const { patient: _p, ...partial } = fullPrefetch();
    return t.app.inject({
      method: 'POST',
      url: SERVICE,
      headers: { authorization: `Bearer ${await t.token(SERVICE)}` },
      payload: {
        ...hookRequest('patient-view', partial),
        fhirServer,
        fhirAuthorization: {
          access_token: TOKEN,
          token_type: 'Bearer',
          expires_in: 300,
          scope: 'patient/*.read',
          subject: 'citecare',
          patient: PATIENT_ID,
        },
      },
    });
  }

  it('does not follow a redirect: the other server sees no request and no token', async () => {
    const res = await call(`${redirector.url}/fhir`);
    assert.equal(reachedTarget.length, 0, `redirect followed: ${JSON.stringify(reachedTarget)}`);
    assert.equal(res.statusCode, 412);
  });

  it('answers 412 with a generic text, whatever the server said; the detail is logged and recorded', async () => {
    logs.length = 0;
    const unreachable = await listen(() => {});
    const deadUrl = unreachable.url;
    await close(unreachable.server);
    const answers = [await call(`${forbidden.url}/fhir`), await call(`${deadUrl}/fhir`)];
    for (const res of answers) {
      assert.equal(res.statusCode, 412);
      const text = res.json().issue[0].diagnostics as string;
      assert.equal(text, `${GENERIC}.`);
      assert.doesNotMatch(res.body, /403|fetch failed|timed out|network|HTTP/);
    }
    assert.match(logs.join(''), /HTTP 403/);
    const page = await t.audit.list({ limit: 10 });
    const recorded = JSON.stringify(page.records.map((r) => r.id));
    assert.ok(page.records.length >= 2, recorded);
    const details = await Promise.all(page.records.map((r) => t.audit.get(r.id)));
    const errors = details.flatMap((d) => d?.record.errors ?? []).join(' | ');
    assert.match(errors, /HTTP 403/);
    assert.ok(!JSON.stringify(details).includes(TOKEN), 'the token is never recorded');
    const chain = await t.audit.verifyChain();
    assert.equal(chain.ok, true, JSON.stringify(chain));
  });
});
