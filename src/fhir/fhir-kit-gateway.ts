// FhirGateway over fhir-kit-client: timeouts on every call, paging with a cap, typed errors.
// The access token lives only in this object's client and is never logged or returned.
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Client } from 'fhir-kit-client';
import { bundleResources, type FhirGateway, FhirGatewayError, parseRelativeUrl } from './gateway.ts';

export interface FhirKitGatewayOptions {
  baseUrl: string;
  accessToken?: string;
  timeoutMs: number;
  maxPages: number;
  /** Epoch ms after which no call starts and running calls are aborted (the request's deadline). */
  deadline?: number;
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

function asResource(x: unknown, what: string): Resource {
  if (
    typeof x !== 'object' ||
    x === null ||
    typeof (x as { resourceType?: unknown }).resourceType !== 'string'
  ) {
    throw new FhirGatewayError(`${what}: the server did not answer with a FHIR resource`, 'invalid-response');
  }
  return x as Resource;
}

function sameOrigin(url: string, base: string): boolean {
  try {
    return new URL(url, base).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

export function createFhirKitGateway(opts: FhirKitGatewayOptions): FhirGateway {
  const client = new Client({
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    ...(opts.accessToken ? { bearerToken: opts.accessToken } : {}),
    customHeaders: { Accept: 'application/fhir+json' },
    // A redirect would carry the request (and, to the same origin, the token) to a URL the
    // allowlist never saw: fail the call instead of following it.
    requestOptions: { redirect: 'error' },
  });
  const options = () => {
    const left =
      opts.deadline === undefined ? opts.timeoutMs : Math.min(opts.timeoutMs, opts.deadline - Date.now());
    if (left <= 0) throw new FhirGatewayError('the time for fetching data ran out', 'timeout');
    return { signal: AbortSignal.timeout(left) };
  };

  const gateway: FhirGateway = {
    async read(type, id) {
      const what = `read ${type}`;
      try {
        return asResource(await client.read({ resourceType: type, id, options: options() }), what);
      } catch (err) {
        const ge = toGatewayError(err, what);
        if (ge.kind === 'http' && (ge.status === 404 || ge.status === 410)) return null;
        throw ge;
      }
    },

    async search(type, params) {
      const what = `search ${type}`;
      try {
        const first = asResource(
          await client.search({ resourceType: type, searchParams: params, options: options() }),
          what,
        );
        if (first.resourceType !== 'Bundle')
          throw new FhirGatewayError(`${what}: not a Bundle`, 'invalid-response');
        return (await gateway.collect(first as Bundle)).resources;
      } catch (err) {
        throw toGatewayError(err, what);
      }
    },

    async query(relativeUrl) {
      const { type, id, params } = parseRelativeUrl(relativeUrl);
      if (id && Object.keys(params).length === 0) return gateway.read(type, id);
      const what = `search ${type}`;
      try {
        return asResource(
          await client.search({ resourceType: type, searchParams: params, options: options() }),
          what,
        );
      } catch (err) {
        throw toGatewayError(err, what);
      }
    },

    async collect(bundle) {
      const out = bundleResources(bundle);
      let page: Bundle = bundle;
      for (let i = 1; ; i++) {
        const nextUrl = page.link?.find((l) => l.relation === 'next')?.url;
        if (!nextUrl) break;
        if (i >= opts.maxPages) return { resources: out, truncated: true };
        // The token goes with the request: never follow a next link to another origin.
        if (!sameOrigin(nextUrl, opts.baseUrl)) {
          throw new FhirGatewayError(
            'next page: link points to another server; not followed',
            'invalid-response',
          );
        }
        let next: unknown;
        try {
          next = await client.nextPage({ bundle: page as never, options: options() });
        } catch (err) {
          throw toGatewayError(err, 'next page');
        }
        if (!next) break;
        page = asResource(next, 'next page') as Bundle;
        out.push(...bundleResources(page));
      }
      return { resources: out, truncated: false };
    },

    async create(resource) {
      const what = `create ${resource.resourceType}`;
      try {
        return asResource(
          await client.create({
            resourceType: resource.resourceType,
            body: resource as never,
            options: options(),
          }),
          what,
        ) as typeof resource;
      } catch (err) {
        throw toGatewayError(err, what);
      }
    },
  };
  return gateway;
}
