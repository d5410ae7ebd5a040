// A small FHIR R4 server double on 127.0.0.1 (fastify, port 0): reads and searches over an
// in-memory set seeded from a Bundle, bearer tokens checked through a callback (the SMART double's),
// POST create that stores the resource, and knobs to refuse writes.
import { randomUUID } from 'node:crypto';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import Fastify from 'fastify';

type AnyResource = Resource & Record<string, unknown>;

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
  pageSize?: number;
}

export interface FakeFhirServer {
  /** FHIR base URL, e.g. http://127.0.0.1:PORT/fhir */
  url: string;
  resources: AnyResource[];
  /** Resources created through POST, in order. */
  created: AnyResource[];
  /** Set to make the next writes fail with this status and OperationOutcome text. */
  rejectWrites?: { status: number; diagnostics: string };
  /** Stores the next created resource but answers 504, as when a proxy times out after the write. */
  loseNextCreateResponse?: boolean;
  requests: Array<{ method: string; url: string; authorized: boolean }>;
  close(): Promise<void>;
}

const outcome = (code: string, diagnostics: string): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: code as 'invalid', diagnostics }],
});

/** Turns a transaction Bundle's entries into stored resources with ids and rewritten references. */
export function resourcesFromBundle(bundle: Bundle): AnyResource[] {
  const idFor = new Map<string, string>();
  const list: AnyResource[] = [];
  for (const entry of bundle.entry ?? []) {
    if (!entry.resource) continue;
    const r = structuredClone(entry.resource) as AnyResource;
    const fromUrl = entry.fullUrl?.startsWith('urn:uuid:') ? entry.fullUrl.slice(9) : undefined;
    r.id = r.id ?? fromUrl ?? randomUUID();
    if (entry.fullUrl) idFor.set(entry.fullUrl, `${r.resourceType}/${r.id}`);
    list.push(r);
  }
  const rewrite = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(rewrite);
    if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      for (const [k, v] of Object.entries(o)) {
        o[k] = k === 'reference' && typeof v === 'string' && idFor.has(v) ? idFor.get(v) : rewrite(v);
      }
    }
    return x;
  };
  return list.map((r) => rewrite(r) as AnyResource);
}

const refOf = (x: unknown) =>
  x && typeof x === 'object' ? (x as { reference?: string }).reference : undefined;

function codings(x: unknown): Array<{ system?: string; code?: string }> {
  const list = Array.isArray(x) ? x : x ? [x] : [];
  return list.flatMap((cc) => (cc as { coding?: Array<{ system?: string; code?: string }> }).coding ?? []);
}

function tokenMatch(x: unknown, wanted: string): boolean {
  return wanted.split(',').some((w) => {
    const [system, code] = w.includes('|') ? w.split('|', 2) : [undefined, w];
    return codings(x).some(
      (c) => (!code || c.code === code) && (system === undefined || !system || c.system === system),
    );
  });
}

function dateOf(r: AnyResource): string {
  const v =
    r.effectiveDateTime ?? r.authoredOn ?? r.recordedDate ?? r.onsetDateTime ?? r.date ?? r.issued ?? '';
  return typeof v === 'string' ? v : '';
}

function matches(r: AnyResource, params: Record<string, string>): boolean {
  for (const [name, value] of Object.entries(params)) {
    if (name.startsWith('_') && name !== '_id') continue;
    switch (name) {
      case '_id':
        if (!value.split(',').includes(String(r.id))) return false;
        break;
      case 'patient':
      case 'subject': {
        const wanted = value.split(',').map((v) => (v.includes('/') ? v : `Patient/${v}`));
        const ref = r.resourceType === 'Patient' ? `Patient/${r.id}` : (refOf(r.subject) ?? refOf(r.patient));
        if (!ref || !wanted.includes(ref)) return false;
        break;
      }
      case 'encounter':
        if (refOf(r.encounter) !== (value.includes('/') ? value : `Encounter/${value}`)) return false;
        break;
      case 'category':
        if (!tokenMatch(r.category, value)) return false;
        break;
      case 'code':
        if (!tokenMatch(r.code, value)) return false;
        break;
      case 'clinical-status':
        if (!tokenMatch(r.clinicalStatus, value)) return false;
        break;
      case 'status':
        if (!value.split(',').includes(String(r.status))) return false;
        break;
      default:
        // An unknown parameter matches nothing, rather than everything, so tests notice it.
        return false;
    }
  }
  return true;
}

export async function startFakeFhirServer(opts: FakeFhirServerOptions = {}): Promise<FakeFhirServer> {
  const app = Fastify({ logger: false });
  const resources = [
    ...(opts.bundle ? resourcesFromBundle(opts.bundle) : []),
    ...((opts.resources ?? []) as AnyResource[]),
  ];
  const pageSize = opts.pageSize ?? 50;
  const server: FakeFhirServer = {
    url: '',
    resources,
    created: [],
    requests: [],
    close: () => app.close(),
  };
  for (const type of ['application/fhir+json', 'application/json']) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, JSON.parse(String(body)));
      } catch (err) {
        done(err as Error, undefined);
      }
    });
  }

  const fhir = (reply: { type: (t: string) => unknown }) => reply.type('application/fhir+json');

  app.get('/fhir/.well-known/smart-configuration', async (_request, reply) => {
    if (!opts.smartConfiguration) return reply.code(404).send({ error: 'not found' });
    return reply.send(opts.smartConfiguration());
  });

  app.get('/fhir/metadata', async (_request, reply) => {
    fhir(reply);
    const oauth = typeof opts.oauthUris === 'function' ? opts.oauthUris() : opts.oauthUris;
    return {
      resourceType: 'CapabilityStatement',
      status: 'active',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: ['json'],
      rest: [
        {
          mode: 'server',
          ...(oauth
            ? {
                security: {
                  extension: [
                    {
                      url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
                      extension: [
                        { url: 'authorize', valueUri: oauth.authorize },
                        { url: 'token', valueUri: oauth.token },
                      ],
                    },
                  ],
                },
              }
            : {}),
        },
      ],
    };
  });

  app.addHook('onRequest', async (request, reply) => {
    const m = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    const authorized = !opts.verifyToken || (m !== null && opts.verifyToken(m[1]));
    server.requests.push({ method: request.method, url: request.url, authorized });
    if (request.url.startsWith('/fhir/metadata') || request.url.startsWith('/fhir/.well-known')) return;
    if (!authorized)
      return reply.code(401).type('application/fhir+json').send(outcome('login', 'Unauthorized'));
  });

  app.get('/fhir/:type/:id', async (request, reply) => {
    const { type, id } = request.params as { type: string; id: string };
    const found = resources.find((r) => r.resourceType === type && r.id === id);
    fhir(reply);
    if (!found) return reply.code(404).send(outcome('not-found', `${type}/${id} is not known`));
    return found;
  });

  app.get('/fhir/:type', async (request, reply) => {
    const { type } = request.params as { type: string };
    const params = { ...(request.query as Record<string, string>) };
    let hits = resources.filter((r) => r.resourceType === type && matches(r, params));
    if (params._sort === '-date') hits = [...hits].sort((a, b) => dateOf(b).localeCompare(dateOf(a)));
    const count = Math.min(Number(params._count) || pageSize, pageSize);
    const offset = Number(params._offset) || 0;
    const page = hits.slice(offset, offset + count);
    const self = new URL(request.url, server.url.replace(/\/fhir$/, ''));
    const link = [{ relation: 'self', url: self.toString() }];
    if (offset + count < hits.length) {
      const next = new URL(self);
      next.searchParams.set('_offset', String(offset + count));
      link.push({ relation: 'next', url: next.toString() });
    }
    fhir(reply);
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: hits.length,
      link,
      entry: page.map((r) => ({
        fullUrl: `${server.url}/${r.resourceType}/${r.id}`,
        resource: r,
        search: { mode: 'match' },
      })),
    };
  });

  app.post('/fhir/:type', async (request, reply) => {
    const { type } = request.params as { type: string };
    const body = request.body as AnyResource | undefined;
    fhir(reply);
    if (server.rejectWrites) {
      return reply
        .code(server.rejectWrites.status)
        .send(outcome('forbidden', server.rejectWrites.diagnostics));
    }
    if (!body || body.resourceType !== type) {
      return reply.code(400).send(outcome('invalid', `body must be a ${type} resource`));
    }
    // Conditional create (only the identifier=system|value search is understood here).
    const condition = request.headers['if-none-exist'];
    if (typeof condition === 'string') {
      const wanted = new URLSearchParams(condition).get('identifier');
      if (!wanted) return reply.code(400).send(outcome('invalid', 'If-None-Exist: only identifier='));
      const [system, value] = wanted.split('|');
      const matches = resources.filter(
        (r) =>
          r.resourceType === type &&
          ((r as { identifier?: Array<{ system?: string; value?: string }> }).identifier ?? []).some(
            (i) => i.system === system && i.value === value,
          ),
      );
      if (matches.length > 1) return reply.code(412).send(outcome('duplicate', 'several resources match'));
      if (matches.length === 1) return reply.code(200).send(matches[0]);
    }
    const stored = {
      ...body,
      id: randomUUID(),
      meta: { versionId: '1', lastUpdated: new Date().toISOString() },
    } as AnyResource;
    resources.push(stored);
    server.created.push(stored);
    if (server.loseNextCreateResponse) {
      server.loseNextCreateResponse = false;
      return reply.code(504).send(outcome('timeout', 'upstream timed out'));
    }
    return reply.code(201).header('Location', `${server.url}/${type}/${stored.id}/_history/1`).send(stored);
  });

  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  server.url = `${address.replace('localhost', '127.0.0.1')}/fhir`;
  return server;
}
