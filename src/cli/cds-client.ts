// A small CDS Hooks client, as an EHR would be: reads discovery, fills each service's prefetch
// templates from a FHIR server, builds the hook request and calls the service with a signed JWT.
// `citecare demo` and the hook benchmark use it.
import { randomUUID } from 'node:crypto';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { z } from 'zod';

const discoverySchema = z.object({
  services: z.array(
    z.looseObject({
      hook: z.string(),
      id: z.string(),
      title: z.string().optional(),
      description: z.string(),
      prefetch: z.record(z.string(), z.string()).optional(),
    }),
  ),
});
export type DiscoveredService = z.infer<typeof discoverySchema>['services'][number];

export type TokenSource = (aud: string) => Promise<string | undefined>;

export class ServiceUnreachableError extends Error {
  constructor(
    public readonly url: string,
    cause: unknown,
  ) {
    super(`Could not reach ${url}`, { cause });
    this.name = 'ServiceUnreachableError';
  }
}

async function http(url: string, init: RequestInit, token: TokenSource): Promise<Response> {
  const bearer = await token(url);
  const headers = new Headers(init.headers);
  if (bearer) headers.set('authorization', `Bearer ${bearer}`);
  try {
    return await fetch(url, { ...init, headers, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new ServiceUnreachableError(url, err);
  }
}

export class ServiceRefusedError extends Error {
  constructor(
    public readonly url: string,
    public readonly status: number,
  ) {
    super(`${url} answered HTTP ${status}`);
    this.name = 'ServiceRefusedError';
  }
}

export async function fetchDiscovery(base: string, token: TokenSource): Promise<DiscoveredService[]> {
  const url = `${base}/cds-services`;
  const res = await http(url, { headers: { accept: 'application/json' } }, token);
  if (!res.ok) throw new ServiceRefusedError(url, res.status);
  return discoverySchema.parse(await res.json()).services;
}

/** Reads one relative FHIR query (`Patient/1`, `Observation?patient=1`); null when the server has nothing. */
export async function fhirGet(fhirBase: string, relative: string): Promise<Resource | null> {
  const url = `${fhirBase}/${relative}`;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: 'application/fhir+json' },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new ServiceUnreachableError(url, err);
  }
  if (res.status === 404 || res.status === 410) return null;
  if (!res.ok) throw new Error(`FHIR ${url} answered HTTP ${res.status}`);
  return (await res.json()) as Resource;
}

export interface HookContextInput {
  userId: string;
  patientId: string;
  encounterId?: string;
  /** order-select / order-sign */
  draftOrders?: Resource[];
}

/** The hook context per the HL7 hook library (draftOrders as a Bundle, selections = all drafts). */
export function hookContext(hook: string, input: HookContextInput): Record<string, unknown> {
  const base: Record<string, unknown> = { userId: input.userId, patientId: input.patientId };
  if (input.encounterId) base.encounterId = input.encounterId;
  if (hook === 'order-select' || hook === 'order-sign') {
    const drafts = input.draftOrders ?? [];
    base.draftOrders = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: drafts.map((resource) => ({ resource })),
    } satisfies Bundle;
    if (hook === 'order-select') base.selections = drafts.map((r) => `${r.resourceType}/${r.id}`);
  }
  return base;
}

export interface HookCall {
  service: DiscoveredService;
  context: Record<string, unknown>;
  prefetch?: Record<string, Resource | null>;
  fhirServer?: string;
}

export function hookRequest(call: HookCall): Record<string, unknown> {
  return {
    hook: call.service.hook,
    hookInstance: randomUUID(),
    ...(call.fhirServer ? { fhirServer: call.fhirServer } : {}),
    context: call.context,
    ...(call.prefetch ? { prefetch: call.prefetch } : {}),
  };
}

export interface HookResponse {
  status: number;
  body: unknown;
  ms: number;
}

export async function callService(base: string, call: HookCall, token: TokenSource): Promise<HookResponse> {
  const url = `${base}/cds-services/${encodeURIComponent(call.service.id)}`;
  const t0 = performance.now();
  const res = await http(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hookRequest(call)),
    },
    token,
  );
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body, ms: Math.round(performance.now() - t0) };
}
