// The embedded demo FHIR R4 server, a fastify plugin to be registered with `{ prefix: '/fhir' }`.
// Open by design (no SMART, no OAuth): it exists so `npm start` works with no EHR. The app registers
// it only when DEMO_FHIR=on.

import type { HttpMethod } from '@medplum/fhir-router';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { type Clock, systemClock } from '../clinical/clock.ts';
import { badRequest } from '../fhir/outcomes.ts';
import { demoCapabilityStatement } from './capability-statement.ts';
import { DemoFhirStore } from './fhir-store.ts';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export interface DemoFhirOptions {
  /** The server's public FHIR base, e.g. `${config.PUBLIC_BASE_URL}/fhir` (used in fullUrl and metadata). */
  baseUrl: string;
  /** "Now" for the demo patients' relative dates. */
  clock?: Clock;
  /** A ready store (tests); otherwise a new one is made and the demo patients are loaded into it. */
  store?: DemoFhirStore;
  /** Which demo patients to load (default: all). */
  patientIds?: readonly string[];
  patientsDir?: string;
}

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export const demoFhirPlugin: FastifyPluginAsync<DemoFhirOptions> = async (app, opts) => {
  if (!app.prefix)
    throw new Error('demoFhirPlugin must be registered with a prefix, e.g. { prefix: "/fhir" }');
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const prefix = app.prefix;
  let store = opts.store;
  if (!store) {
    store = new DemoFhirStore();
    await store.loadDemoPatients((opts.clock ?? systemClock).now(), opts.patientIds, opts.patientsDir);
  }
  const fhir = store;

  const json = (_req: FastifyRequest, body: string, done: (err: Error | null, body?: unknown) => void) => {
    try {
      done(null, body.length ? JSON.parse(body) : undefined);
    } catch {
      done(Object.assign(new Error('Request body is not valid JSON'), { statusCode: 400 }));
    }
  };
  for (const type of ['application/fhir+json', 'application/json-patch+json']) {
    if (!app.hasContentTypeParser(type)) app.addContentTypeParser(type, { parseAs: 'string' }, json);
  }
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
      done(null, body),
    );
  }

  const send = (reply: FastifyReply, status: number, body: Resource) => {
    if (status === 201 && 'id' in body && body.id)
      reply.header('location', `${baseUrl}/${body.resourceType}/${encodeURIComponent(body.id)}`);
    return reply
      .code(status)
      .type(FHIR_JSON)
      .send(body.resourceType === 'Bundle' ? withFullUrls(body, baseUrl) : body);
  };

  app.get('/metadata', async (_req, reply) => send(reply, 200, demoCapabilityStatement(baseUrl)));

  // POST [type]/_search carries its parameters form-encoded in the body (and may add some in the URL).
  app.post<{ Params: { type: string } }>('/:type/_search', async (req, reply) => {
    const url = new URL(req.url, 'http://x');
    const params = new URLSearchParams(url.search);
    const body = req.body;
    const fromBody =
      typeof body === 'string'
        ? new URLSearchParams(body)
        : body && typeof body === 'object'
          ? new URLSearchParams(Object.entries(body as Record<string, string>))
          : new URLSearchParams();
    for (const [k, v] of fromBody) params.append(k, v);
    const qs = params.toString();
    const res = await fhir.handle('GET', `/${req.params.type}${qs ? `?${qs}` : ''}`);
    return send(reply, res.status, res.body);
  });

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const method = req.method as HttpMethod;
    if ((method === 'POST' || method === 'PUT') && (req.body === undefined || typeof req.body !== 'object')) {
      return send(reply, 400, badRequest('Expected a FHIR JSON body (application/fhir+json)'));
    }
    const badId = invalidId(req.body);
    if (badId !== undefined) return send(reply, 400, badRequest(`${badId} is not a valid FHIR id`));
    const relative = req.url.slice(prefix.length) || '/';
    const headers: Record<string, string> = {};
    for (const h of ['if-match', 'if-none-exist', 'prefer']) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const res = await fhir.handle(method, relative, req.body, headers);
    return send(reply, res.status, res.body);
  };
  app.route({ method: METHODS, url: '/', handler });
  app.route({ method: METHODS, url: '/*', handler });
};

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * The first id in a body (a resource, or a Bundle's entries) that breaks the FHIR id rule. Such an
 * id would be stored and later reach card Markdown and response headers, so it is refused.
 */
function invalidId(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const r = body as { id?: unknown; resourceType?: unknown; entry?: unknown };
  if (r.id !== undefined && (typeof r.id !== 'string' || !FHIR_ID.test(r.id))) return 'id';
  if (r.resourceType === 'Bundle' && Array.isArray(r.entry)) {
    for (const [i, e] of r.entry.entries()) {
      if (invalidId((e as { resource?: unknown } | null)?.resource) !== undefined)
        return `entry[${i}].resource.id`;
    }
  }
  return undefined;
}

function withFullUrls(resource: Resource, baseUrl: string): Resource {
  const bundle = resource as Bundle;
  if (!bundle.entry) return bundle;
  return {
    ...bundle,
    entry: bundle.entry.map((e) =>
      e.resource?.id && !e.fullUrl
        ? { fullUrl: `${baseUrl}/${e.resource.resourceType}/${e.resource.id}`, ...e }
        : e,
    ),
  };
}
