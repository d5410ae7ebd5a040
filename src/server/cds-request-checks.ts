// Checks on a CDS request that zod cannot express: where we may send the EHR's token, and that
// every piece of data is about the patient in context.
import type { Resource } from '@medplum/fhirtypes';
import type { FhirServerAllowlist } from '../fhir/allowlist.ts';
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

/** Where the EHR's token may be sent: production needs https; the allowlist (parsed once at start) the base. */
export interface FhirServerPolicy {
  production: boolean;
  allowlist?: FhirServerAllowlist;
}

export function requestProblem(
  body: CheckedRequest,
  policy: FhirServerPolicy,
  orders: { draftOrders: Resource[]; selections?: string[] } | undefined,
): RequestProblem | undefined {
  const patientRef = `Patient/${body.context.patientId}`;
  if (body.fhirServer) {
    if (policy.production && !body.fhirServer.startsWith('https:')) {
      return { message: 'fhirServer must use https', field: 'fhirServer' };
    }
    if (policy.allowlist && !policy.allowlist.allows(body.fhirServer)) {
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
