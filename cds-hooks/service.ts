// What one CDS service module provides: everything particular to the service (descriptor, request
// schema, required data, model task, which cards it shows, whether the chart review runs, and its
// transparency facts). The shared route code (src/server/cds-routes.ts) runs the same steps for every
// service, and the pipeline never branches on a hook's name.
import type { Resource } from '@medplum/fhirtypes';
import type { z } from 'zod';
import type { ServiceFacts } from '../src/about/service-facts.ts';
import type { CardPolicy } from '../src/cards/build-cards.ts';
import type { ReviewScope } from '../src/clinical/medication-review/review.ts';
import type { AdviceKind } from '../src/llm/types.ts';
import type { CdsRequest, CdsRequestContext } from './request-schema.ts';

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
  /** zod schema of the whole request for this hook; what it accepts is a CdsRequest. */
  schema: z.ZodType<CdsRequest>;
  /** Prefetch keys without which the service cannot answer (→ 412 when unobtainable). */
  required: readonly string[];
  /** The model task for this hook, if any. */
  adviceKind?: AdviceKind;
  /** Which cards the service returns. */
  cards: CardPolicy;
  /** Which medication review and care-gap check runs, if any (needs the drug table). */
  chartReview?: ReviewScope;
  /** What the service is for and must not be used for: its about page (/about/{id}). */
  facts: ServiceFacts;
  /** Hook-specific pipeline inputs (draft orders and selections). */
  orders?(context: CdsRequestContext): { draftOrders: Resource[]; selections?: string[] };
}
