// A small FHIR R4 server on 127.0.0.1 for prefetch tests: serves a resource list (search via the
// in-memory gateway's matching), records every request, and can be told to fail per resource type.
import type { Bundle, Resource } from '@medplum/fhirtypes';
import Fastify from 'fastify';
import { createMemoryGateway } from '../../src/fhir/memory-gateway.ts';

export interface FhirTestServer {
  url: string;
  requests: Array<{ method: string; url: string; authorization?: string }>;
  /** Resource type → HTTP status to answer with, or 'hang' to never answer in time. */
  failures: Map<string, number | 'hang'>;
  /** Page size for searches (adds Bundle next links). */
  pageSize?: number;
  close(): Promise<void>;
}

export async function startFhirTestServer(
  resources: Resource[],
  opts: { pageSize?: number } = {},
): Promise<FhirTestServer> {
  const gateway = createMemoryGateway(resources);
  const app = Fastify({ logger: false });
  const state: FhirTestServer = {
    url: '',
    requests: [],
    failures: new Map(),
    pageSize: opts.pageSize,
    close: async () => {
      await app.close();
    },
  };
  app.get('/fhir/*', async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    state.requests.push({
      method: 'GET',
      url: `${path}${query ? `?${query}` : ''}`,
      authorization: request.headers.authorization,
    });
    const type = path.split('/')[0];
    const failure = state.failures.get(type);
    if (failure === 'hang') {
      await new Promise((r) => setTimeout(r, 10_000));
    } else if (failure) {
      return reply
        .code(failure)
        .send({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] });
    }
    const params = new URLSearchParams(query);
    const page = Number(params.get('_page') ?? '0');
    params.delete('_page');
    const result = await gateway.query(`${path}${params.size ? `?${params}` : ''}`);
    if (result === null)
      return reply
        .code(404)
        .send({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
    if (result.resourceType === 'Bundle' && state.pageSize) {
      const all = (result as Bundle).entry ?? [];
      const slice = all.slice(page * state.pageSize, (page + 1) * state.pageSize);
      const out: Bundle = { resourceType: 'Bundle', type: 'searchset', total: all.length, entry: slice };
      if ((page + 1) * state.pageSize < all.length) {
        params.set('_page', String(page + 1));
        out.link = [{ relation: 'next', url: `${state.url}/${path}?${params}` }];
      }
      return reply.type('application/fhir+json').send(out);
    }
    return reply.type('application/fhir+json').send(result);
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  state.url = `${address}/fhir`;
  return state;
}
