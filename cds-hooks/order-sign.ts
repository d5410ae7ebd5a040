import { PATIENT_QUERIES } from '../src/fhir/patient-queries.ts';
import { orderSignContext, requestSchema } from './request-schema.ts';
import { type CdsServiceModule, draftOrdersOf } from './service.ts';

const { patient, conditions, medications, medicationStatements, allergies, labs } = PATIENT_QUERIES;

export const orderSign: CdsServiceModule = {
  descriptor: {
    hook: 'order-sign',
    id: 'citecare-order-sign',
    title: 'CiteCare medication safety (order signing)',
    description:
      'Before signing: checks every draft medication order against allergies (including class cross-reactivity), current medications (duplicates and high-priority interactions) and kidney function, with guideline citations and a suggestion to remove the draft order.',
    prefetch: { patient, conditions, medications, medicationStatements, allergies, labs },
    usageRequirements:
      'Needs the draft orders in context, and read access to allergies, active medications and laboratory results. Allergy and medication data are required: without them no safety statement is made.',
  },
  schema: requestSchema('order-sign', orderSignContext),
  required: ['patient', 'allergies', 'medications'],
  orders: (context) => ({ draftOrders: draftOrdersOf(context) }),
};
