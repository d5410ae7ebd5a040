// Checks on a CDS request that zod cannot express: where we may send the EHR's token, and that
// every piece of data is about the patient in context.
import type { Resource } from '@medplum/fhirtypes';
import type { Config } from '../config.ts';
import { patientOf } from '../fhir/prefetch.ts';
import { malformedField } from '../fhir/resource-shape.ts';

export interface RequestProblem {
  message: string;
  field: string;
}

interface CheckedRequest {
  fhirServer?: string;
  fhirAuthorization?: { patient?: string };
  context: Record<string, unknown> & { patientId: string };
  prefetch?: Record<string, unknown>;
}

/**
 * Whether `fhirServer` is one of the allowed FHIR bases: the same origin (scheme, host and port,
 * compared parsed, so `ehr.example.org.evil.net` and `:8443` differ) and the same path or a path
 * below it on a segment boundary (`/r4` admits `/r4/x`, never `/r4-admin`). Credentials in the URL
 * are refused outright.
 */
function isAllowedFhirServer(fhirServer: string, allowed: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(fhirServer);
  } catch {
    return false;
  }
  if (url.username || url.password || url.search || url.hash) return false;
  const path = url.pathname.replace(/\/+$/, '');
  return allowed.some((entry) => {
    let base: URL;
    try {
      base = new URL(entry);
    } catch {
      return false;
    }
    if (base.origin !== url.origin) return false;
    const basePath = base.pathname.replace(/\/+$/, '');
    return path === basePath || path.startsWith(`${basePath}/`);
  });
}

export function requestProblem(
  body: CheckedRequest,
  config: Pick<Config, 'NODE_ENV' | 'FHIR_SERVERS_ALLOWED'>,
  orders: { draftOrders: Resource[]; selections?: string[] } | undefined,
): RequestProblem | undefined {
  const patientRef = `Patient/${body.context.patientId}`;
  if (body.fhirServer) {
    if (config.NODE_ENV === 'production' && !body.fhirServer.startsWith('https:')) {
      return { message: 'fhirServer must use https', field: 'fhirServer' };
    }
    const allowed = config.FHIR_SERVERS_ALLOWED;
    if (allowed && !isAllowedFhirServer(body.fhirServer, allowed)) {
      return { message: 'fhirServer is not a FHIR server this service may use', field: 'fhirServer' };
    }
  }
  const tokenPatient = body.fhirAuthorization?.patient;
  if (tokenPatient && tokenPatient !== body.context.patientId) {
    return {
      message: 'fhirAuthorization.patient is not the patient in context.patientId',
      field: 'fhirAuthorization.patient',
    };
  }
  const given = body.prefetch?.patient as { resourceType?: string; id?: string } | null | undefined;
  if (given && given.resourceType === 'Patient' && given.id !== body.context.patientId) {
    return { message: 'prefetch.patient is not the patient in context.patientId', field: 'prefetch.patient' };
  }
  if (orders) {
    for (const [i, order] of orders.draftOrders.entries()) {
      const bad = malformedField(order);
      if (bad) {
        return {
          message: `draft order ${i + 1} has a field of the wrong type (${bad})`,
          field: 'context.draftOrders',
        };
      }
    }
    for (const order of orders.draftOrders) {
      const subject = patientOf(order);
      if (subject && subject !== patientRef) {
        return {
          message: `draft order ${order.resourceType}/${order.id ?? '?'} is for another patient`,
          field: 'context.draftOrders',
        };
      }
    }
    const ids = new Set(orders.draftOrders.map((o) => `${o.resourceType}/${o.id}`));
    for (const selection of orders.selections ?? []) {
      if (!ids.has(selection)) {
        return {
          message: `selection ${selection} is not one of the draft orders`,
          field: 'context.selections',
        };
      }
    }
  }
  return undefined;
}

/** order-select checks the selected orders only; the other drafts are not the clinician's question yet. */
export function ordersToCheck(orders: { draftOrders: Resource[]; selections?: string[] }): Resource[] {
  if (!orders.selections) return orders.draftOrders;
  const selected = new Set(orders.selections);
  return orders.draftOrders.filter((o) => selected.has(`${o.resourceType}/${o.id}`));
}
