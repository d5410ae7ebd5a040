// What one CDS service module provides. The shared route code (src/server/cds-routes.ts) runs the
// same steps for every service; a module says only what is particular to it.
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { z } from 'zod';
import { bundleResources } from '../src/fhir/bundle-resources.ts';
import type { AdviceKind } from '../src/llm/types.ts';

export interface CdsServiceDescriptor {
  hook: string;
  id: string;
  title: string;
  description: string;
  prefetch: Record<string, string>;
  usageRequirements: string;
}

export interface CdsServiceModule {
  descriptor: CdsServiceDescriptor;
  /** zod schema of the whole request for this hook. */
  schema: z.ZodType;
  /** Prefetch keys without which the service cannot answer (→ 412 when unobtainable). */
  required: readonly string[];
  /** The model task for this hook, if any. */
  adviceKind?: AdviceKind;
  /** Hook-specific pipeline inputs (draft orders and selections). */
  orders?(context: Record<string, unknown>): { draftOrders: Resource[]; selections?: string[] };
}

export function draftOrdersOf(context: Record<string, unknown>): Resource[] {
  return bundleResources(context.draftOrders as Bundle | undefined);
}
