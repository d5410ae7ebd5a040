// The one FHIR R4 server double for tests, on 127.0.0.1 (fastify, port 0): the in-memory gateway
// behind HTTP. Reads and searches (paged with absolute next links), conditional create, bearer tokens
// checked through a callback (the SMART double's), every request recorded with its Authorization
// header, and knobs to make a resource type fail or hang and to refuse or lose writes.
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import Fastify, { type FastifyReply } from 'fastify';
import { resourcesFromBundle } from '../../src/fhir/bundle-file.ts';
import { FhirGatewayError } from '../../src/fhir/gateway.ts';
import { createMemoryGateway } from '../../src/fhir/memory-gateway.ts';

export interface FakeFhirServerOptions {
  /** Transaction, collection or searchset Bundle; `urn:uuid:` references are rewritten to `Type/id`. */
  bundle?: Bundle;
  resources?: Resource[];
  /** When set, every FHIR call needs a bearer token this accepts. */
  verifyToken?: (token: string) => boolean;
  /** Served at .well-known/smart-configuration (404 when absent). */
  smartConfiguration?: () => Record<string, unknown>;
  /** Put into the CapabilityStatement's oauth-uris extension (older servers). */
  oauthUris?: { authorize: string; token: string } | (() => { authorize: string; token: string });
  /** Search page size (default 50); smaller values make the client follow next links (`_offset=`). */
  pageSize?: number;
}

export interface FakeFhirRequest {
  method: string;
  /** As received, e.g. `/fhir/Observation?patient=1`. */
  url: string;
  authorization?: string;
  authorized: boolean;
}

export interface FakeFhirServer {
  /** FHIR base URL, e.g. http://127.0.0.1:PORT/fhir */
  url: string;
  /** What the server holds (tests may push more). */
  resources: Resource[];
  /** Resources created through POST, in order. */
  created: Resource[];
  /** Resource type → HTTP status to answer every call with, or 'hang' to never answer in time. */
  failures: Map<string, number | 'hang'>;
  /** Set to make the next writes fail with this status and OperationOutcome text. */
  rejectWrites?: { status: number; diagnostics: string };
  /** Stores the next created resource but answers 504, as when a proxy times out after the write. */
  loseNextCreateResponse?: boolean;
  requests: FakeFhirRequest[];
  close(): Promise<void>;
}

const outcome = (code: string, diagnostics: string): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: code as 'invalid', diagnostics }],
});

function capabilityStatement(oauth?: { authorize: string; token: string }) {
  const security = oauth && {
    extension: [
      {
        url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
        extension: [
          { url: 'authorize', valueUri: oauth.authorize },
          { url: 'token', valueUri: oauth.token },
        ],
      },
    ],
  };
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [{ mode: 'server', ...(security ? { security } : {}) }],
  };
}

/** One page of a search answer, with an absolute next link (carrying `_offset`) while more remain. */
function searchPage(hits: Resource[], requestUrl: string, base: string, pageSize: number): Bundle {
  const self = new URL(requestUrl, base);
  const count = Math.min(Number(self.searchParams.get('_count')) || pageSize, pageSize);
  const offset = Number(self.searchParams.get('_offset')) || 0;
  const link = [{ relation: 'self', url: self.toString() }];
  if (offset + count < hits.length) {
    const next = new URL(self);
    next.searchParams.set('_offset', String(offset + count));
    link.push({ relation: 'next', url: next.toString() });
  }
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: hits.length,
    link,
    entry: hits.slice(offset, offset + count).map((r) => ({
      fullUrl: `${base}/${r.resourceType}/${r.id}`,
      resource: r,
      search: { mode: 'match' },
    })),
  };
}

export async function startFakeFhirServer(opts: FakeFhirServerOptions = {}): Promise<FakeFhirServer> {
  const app = Fastify({ logger: false });
  const gateway = createMemoryGateway([
    ...(opts.bundle ? resourcesFromBundle(opts.bundle).resources : []),
    ...(opts.resources ?? []),
  ]);
  const pageSize = opts.pageSize ?? 50;
  const server: FakeFhirServer = {
    url: '',
    resources: gateway.resources,
    created: gateway.created,
    failures: new Map(),
    requests: [],
    close: () => app.close(),
  };
  app.addContentTypeParser(
    ['application/fhir+json', 'application/json'],
    { parseAs: 'string' },
    (_r, body, done) => {
      try {
        done(null, JSON.parse(String(body)));
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );
  const fhir = (reply: FastifyReply) => reply.type('application/fhir+json');

  app.get('/fhir/.well-known/smart-configuration', async (_request, reply) => {
    if (!opts.smartConfiguration) return reply.code(404).send({ error: 'not found' });
    return reply.send(opts.smartConfiguration());
  });
  app.get('/fhir/metadata', async (_request, reply) => {
    const oauth = typeof opts.oauthUris === 'function' ? opts.oauthUris() : opts.oauthUris;
    return fhir(reply).send(capabilityStatement(oauth));
  });

  app.addHook('onRequest', async (request, reply) => {
    const authorization = request.headers.authorization;
    const m = /^Bearer (.+)$/.exec(authorization ?? '');
    const authorized = !opts.verifyToken || (m !== null && opts.verifyToken(m[1]));
    server.requests.push({ method: request.method, url: request.url, authorization, authorized });
    if (request.url.startsWith('/fhir/metadata') || request.url.startsWith('/fhir/.well-known')) return;
    if (!authorized) return fhir(reply).code(401).send(outcome('login', 'Unauthorized'));
    const type = /^\/fhir\/([^/?]+)/.exec(request.url)?.[1] ?? '';
    const failure = server.failures.get(type);
    if (failure === 'hang') await new Promise((r) => setTimeout(r, 10_000));
    else if (failure)
      return fhir(reply)
        .code(failure)
        .send(outcome('exception', `${type} is failing`));
  });

  app.get('/fhir/:type/:id', async (request, reply) => {
    const { type, id } = request.params as { type: string; id: string };
    const found = await gateway.read(type, id);
    if (!found)
      return fhir(reply)
        .code(404)
        .send(outcome('not-found', `${type}/${id} is not known`));
    return fhir(reply).send(found);
  });

  app.get('/fhir/:type', async (request, reply) => {
    const { type } = request.params as { type: string };
    const hits = await gateway.search(type, request.query as Record<string, string>);
    return fhir(reply).send(searchPage(hits, request.url, server.url, pageSize));
  });

  app.post('/fhir/:type', async (request, reply) => {
    const { type } = request.params as { type: string };
    const body = request.body as Resource | undefined;
    fhir(reply);
    if (server.rejectWrites) {
      return reply
        .code(server.rejectWrites.status)
        .send(outcome('forbidden', server.rejectWrites.diagnostics));
    }
    if (!body || body.resourceType !== type) {
      return reply.code(400).send(outcome('invalid', `body must be a ${type} resource`));
    }
    // CiteCare writes only with a condition (identifier=system|value), so a retry stores nothing twice.
    const condition = request.headers['if-none-exist'];
    if (typeof condition !== 'string' || !new URLSearchParams(condition).get('identifier')) {
      return reply.code(400).send(outcome('invalid', 'expected If-None-Exist: identifier=system|value'));
    }
    const before = server.created.length;
    let stored: Resource | undefined;
    try {
      stored = (await gateway.createIfNoneExist(body, condition)).resource;
    } catch (err) {
      if (err instanceof FhirGatewayError && err.status) return reply.code(err.status).send(err.body);
      throw err;
    }
    if (server.created.length === before) return reply.code(200).send(stored);
    if (server.loseNextCreateResponse) {
      server.loseNextCreateResponse = false;
      return reply.code(504).send(outcome('timeout', 'upstream timed out'));
    }
    return reply.code(201).header('Location', `${server.url}/${type}/${stored?.id}/_history/1`).send(stored);
  });

  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  server.url = `${address.replace('localhost', '127.0.0.1')}/fhir`;
  return server;
}
