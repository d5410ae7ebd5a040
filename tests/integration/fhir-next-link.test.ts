// Paging carries the EHR's token: a next link is followed only below the FHIR server's base, never to
// another path on the same host (`/r4-admin` beside an allowed `/r4`) or to another host.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Bundle } from '@medplum/fhirtypes';
import { createFhirKitGateway } from '../../src/fhir/fhir-kit-gateway.ts';

describe('next links stay under the FHIR base', () => {
  let server: Server;
  let origin = '';
  const seen: Array<{ path: string; authorization?: string }> = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.end(
        JSON.stringify({
          resourceType: 'Bundle',
          type: 'searchset',
          entry: [
            { resource: { resourceType: 'Observation', id: 'page-2', status: 'final', code: { text: 'x' } } },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const firstPage = (next: string): Bundle => ({
    resourceType: 'Bundle',
    type: 'searchset',
    link: [{ relation: 'next', url: next }],
    entry: [
      { resource: { resourceType: 'Observation', id: 'page-1', status: 'final', code: { text: 'x' } } },
    ],
  });
  const gateway = () =>
    createFhirKitGateway({
      baseUrl: `${origin}/r4`,
      accessToken: 'ehr-token-1',
      timeoutMs: 2000,
      maxPages: 5,
    });

  it('follows a next link below the base, with the token', async () => {
    seen.length = 0;
    const { resources } = await gateway().collect(firstPage(`${origin}/r4/Observation?page=2`));
    assert.deepEqual(
      resources.map((r) => r.id),
      ['page-1', 'page-2'],
    );
    assert.deepEqual(seen, [{ path: '/r4/Observation?page=2', authorization: 'Bearer ehr-token-1' }]);
  });

  for (const path of [
    '/r4-admin/Observation?page=2',
    '/admin/Observation',
    '/r4/../admin/x',
    '/Observation?page=2',
  ]) {
    it(`refuses a next link to ${path} on the same host and sends nothing`, async () => {
      seen.length = 0;
      await assert.rejects(gateway().collect(firstPage(`${origin}${path}`)), /not followed/);
      assert.deepEqual(seen, []);
    });
  }
});
