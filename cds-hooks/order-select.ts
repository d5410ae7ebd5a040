import { PATIENT_QUERIES } from '../src/fhir/patient-queries.ts';
import { orderSelectContext, requestSchema } from './request-schema.ts';
import { type CdsServiceModule, draftOrdersOf } from './service.ts';

const { patient, conditions, medications, medicationStatements, allergies, labs } = PATIENT_QUERIES;

export const orderSelect: CdsServiceModule = {
  descriptor: {
    hook: 'order-select',
    id: 'citecare-order-select',
    title: 'CiteCare medication safety (order selection)',
    description:
      'Checks the selected draft medication orders against allergies (including penicillin–cephalosporin cross-reactivity), current medications (duplicates and high-priority interactions) and kidney function (renal dose alerts), with guideline citations and a suggestion to remove the draft order.',
    prefetch: { patient, conditions, medications, medicationStatements, allergies, labs },
    usageRequirements:
      'Needs the draft orders in context, and read access to allergies, active medications and laboratory results. Allergy and medication data are required: without them no safety statement is made.',
  },
  schema: requestSchema('order-select', orderSelectContext),
  required: ['patient', 'allergies', 'medications'],
  orders: (context) => ({ draftOrders: draftOrdersOf(context), selections: context.selections as string[] }),
};
