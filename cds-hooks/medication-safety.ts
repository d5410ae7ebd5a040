// order-select and order-sign: the same medication safety checks at two moments of ordering, so one
// factory makes both; each hook's module says only what differs (context, wording, sources).
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { z } from 'zod';
import type { ServiceFacts } from '../src/about/service-facts.ts';
import { bundleResources } from '../src/fhir/bundle-resources.ts';
import { PATIENT_QUERIES } from '../src/fhir/patient-queries.ts';
import { type CdsRequestContext, requestSchema } from './request-schema.ts';
import type { CdsServiceModule } from './service.ts';

const { patient, conditions, medications, medicationStatements, allergies, labs } = PATIENT_QUERIES;

export interface MedicationSafetySpec {
  hook: 'order-select' | 'order-sign';
  title: string;
  description: string;
  /** The hook's context schema (order-select adds `selections`). */
  context: z.ZodType<CdsRequestContext>;
  /** Whether the context names the selected orders (order-select). */
  selections: boolean;
  facts: Pick<ServiceFacts, 'intendedUse' | 'intendedPopulation' | 'sources'>;
}

function draftOrdersOf(context: CdsRequestContext): Resource[] {
  return bundleResources(context.draftOrders as Bundle | undefined);
}

export function medicationSafetyService(spec: MedicationSafetySpec): CdsServiceModule {
  return {
    descriptor: {
      hook: spec.hook,
      id: `citecare-${spec.hook}`,
      title: spec.title,
      description: spec.description,
      prefetch: { patient, conditions, medications, medicationStatements, allergies, labs },
      usageRequirements:
        'Needs the draft orders in context, and read access to allergies, active medications and laboratory results. Allergy and medication data are required: without them no safety statement is made.',
    },
    schema: requestSchema(spec.hook, spec.context),
    required: ['patient', 'allergies', 'medications'],
    cards: { findings: true, triage: false, summary: false },
    chartReview: 'drafts',
    facts: {
      ...spec.facts,
      intendedUsers: ['Prescribers', 'Pharmacists'],
      decisionRole: 'Informs: flags a possible problem with its evidence; the prescriber decides.',
      outputs: [
        'Allergy, interaction, duplicate-therapy and renal-dosing findings',
        'A suggestion to remove the draft order',
      ],
      cautionedUses: ['Not a substitute for pharmacist review or a full interaction database.'],
      limitations: [
        'The interaction table covers a small set of high-priority pairs, not every known interaction.',
      ],
    },
    orders: (context) => ({
      draftOrders: draftOrdersOf(context),
      ...(spec.selections ? { selections: context.selections as string[] } : {}),
    }),
  };
}
