// FhirGateway over fhir-kit-client: timeouts on every call, paging with a cap, typed errors.
// The access token lives only in this object's client and is never logged or returned.
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Client } from 'fhir-kit-client';
import { linkUnderBase } from './allowlist.ts';
import { bundleResources } from './bundle-resources.ts';
import {
  type CreatedResource,
  type FhirGateway,
  FhirGatewayError,
  type FhirGatewayFactory,
  parseRelativeUrl,
} from './gateway.ts';

export interface FhirKitGatewayOptions {
  baseUrl: string;
  accessToken?: string;
  timeoutMs: number;
  maxPages: number;
  /** Epoch ms after which no call starts and running calls are aborted (the request's deadline). */
  deadline?: number;
}

/** One server connection: the client plus the per-call signal that enforces timeout and deadline. */
interface Connection {
  client: Client;
  opts: FhirKitGatewayOptions;
  callOptions(): { signal: AbortSignal };
}

function toGatewayError(err: unknown, what: string): FhirGatewayError {
  if (err instanceof FhirGatewayError) return err;
  const e = err as { name?: string; response?: { status?: number; data?: unknown }; message?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new FhirGatewayError(`${what}: timed out`, 'timeout');
  }
  if (e?.response?.status && e.response.status < 300) {
    // A 2xx whose body would not parse: an HTML error page, a proxy's login form…
    return new FhirGatewayError(`${what}: the server did not answer with FHIR`, 'invalid-response');
  }
  if (e?.response?.status) {
    let body = e.response.data;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // keep the text
      }
    }
    return new FhirGatewayError(`${what}: HTTP ${e.response.status}`, 'http', e.response.status, body);
  }
  return new FhirGatewayError(`${what}: ${e?.message ?? 'network error'}`, 'network');
}

function isResource(x: unknown): x is Resource {
  return typeof x === 'object' && x !== null && typeof (x as Resource).resourceType === 'string';
}

function asResource(x: unknown, what: string): Resource {
  if (!isResource(x)) {
    throw new FhirGatewayError(`${what}: the server did not answer with a FHIR resource`, 'invalid-response');
  }
  return x;
}

function connect(opts: FhirKitGatewayOptions): Connection {
  const client = new Client({
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    ...(opts.accessToken ? { bearerToken: opts.accessToken } : {}),
    customHeaders: { Accept: 'application/fhir+json' },
    // A redirect would carry the request (and, to the same origin, the token) to a URL the
    // allowlist never saw: fail the call instead of following it.
    requestOptions: { redirect: 'error' },
  });
  const callOptions = () => {
    const left =
      opts.deadline === undefined ? opts.timeoutMs : Math.min(opts.timeoutMs, opts.deadline - Date.now());
    if (left <= 0) throw new FhirGatewayError('the time for fetching data ran out', 'timeout');
    return { signal: AbortSignal.timeout(left) };
  };
  return { client, opts, callOptions };
}

async function read(c: Connection, type: string, id: string): Promise<Resource | null> {
  const what = `read ${type}`;
  try {
    return asResource(await c.client.read({ resourceType: type, id, options: c.callOptions() }), what);
  } catch (err) {
    const ge = toGatewayError(err, what);
    if (ge.kind === 'http' && (ge.status === 404 || ge.status === 410)) return null;
    throw ge;
  }
}

/** One search request: the first page as the server sent it. */
async function searchPage(c: Connection, type: string, params: Record<string, string>): Promise<Resource> {
  const what = `search ${type}`;
  try {
    return asResource(
      await c.client.search({ resourceType: type, searchParams: params, options: c.callOptions() }),
      what,
    );
  } catch (err) {
    throw toGatewayError(err, what);
  }
}

async function search(c: Connection, type: string, params: Record<string, string>): Promise<Resource[]> {
  const first = await searchPage(c, type, params);
  if (first.resourceType !== 'Bundle')
    throw new FhirGatewayError(`search ${type}: not a Bundle`, 'invalid-response');
  return (await collect(c, first)).resources;
}

async function query(c: Connection, relativeUrl: string): Promise<Resource | null> {
  const { type, id, params } = parseRelativeUrl(relativeUrl);
  if (id && Object.keys(params).length === 0) return read(c, type, id);
  return searchPage(c, type, params);
}

async function collect(
  c: Connection,
  bundle: Bundle,
): Promise<{ resources: Resource[]; truncated: boolean }> {
  const out = bundleResources(bundle);
  let page: Bundle = bundle;
  for (let i = 1; ; i++) {
    const nextUrl = page.link?.find((l) => l.relation === 'next')?.url;
    if (!nextUrl) break;
    if (i >= c.opts.maxPages) return { resources: out, truncated: true };
    // The token goes with the request: never follow a next link outside the server's base.
    if (!linkUnderBase(nextUrl, c.opts.baseUrl)) {
      throw new FhirGatewayError(
        'next page: link points to another server; not followed',
        'invalid-response',
      );
    }
    let next: unknown;
    try {
      next = await c.client.nextPage({ bundle: page as never, options: c.callOptions() });
    } catch (err) {
      throw toGatewayError(err, 'next page');
    }
    if (!next) break;
    page = asResource(next, 'next page') as Bundle;
    out.push(...bundleResources(page));
  }
  return { resources: out, truncated: false };
}

async function createIfNoneExist<T extends Resource>(
  c: Connection,
  resource: T,
  condition: string,
): Promise<CreatedResource<T>> {
  const type = resource.resourceType;
  let body: unknown;
  let location: string | null | undefined;
  try {
    body = await c.client.create({
      resourceType: type,
      body: resource as never,
      options: { ...c.callOptions(), headers: { 'If-None-Exist': condition } },
    });
    location = Client.httpFor(body as never).response?.headers.get('location');
  } catch (err) {
    // A 2xx whose body is not JSON still stored the resource: its Location header names it.
    const e = err as { response?: { status?: number }; config?: { headers?: Headers } };
    const status = e?.response?.status;
    if (!status || status >= 300) throw toGatewayError(err, `create ${type}`);
    location = e.config?.headers?.get('location');
  }
  const stored = isResource(body) && body.resourceType === type ? (body as T) : undefined;
  const fromLocation = new RegExp(`/${type}/([^/]+)`).exec(location ?? '')?.[1];
  return { id: stored?.id ?? fromLocation, resource: stored };
}

export function createFhirKitGateway(opts: FhirKitGatewayOptions): FhirGateway {
  const c = connect(opts);
  return {
    read: (type, id) => read(c, type, id),
    search: (type, params) => search(c, type, params),
    query: (relativeUrl) => query(c, relativeUrl),
    collect: (bundle) => collect(c, bundle),
    createIfNoneExist: (resource, condition) => createIfNoneExist(c, resource, condition),
  };
}

/** The production factory: fhir-kit-client gateways with the configured timeout and page cap as defaults. */
export function fhirKitGatewayFactory(defaults: { timeoutMs: number; maxPages: number }): FhirGatewayFactory {
  return (baseUrl, auth, options = {}) =>
    createFhirKitGateway({
      baseUrl,
      accessToken: auth.accessToken,
      timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
      maxPages: options.maxPages ?? defaults.maxPages,
      deadline: options.deadline,
    });
}
