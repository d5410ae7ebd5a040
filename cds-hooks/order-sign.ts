import { medicationSafetyService } from './medication-safety.ts';
import { orderSignContext } from './request-schema.ts';

export const orderSign = medicationSafetyService({
  hook: 'order-sign',
  title: 'CiteCare medication safety (order signing)',
  description:
    'Before signing: checks every draft medication order against allergies (including class cross-reactivity), current medications (duplicates and high-priority interactions) and kidney function, with guideline citations and a suggestion to remove the draft order.',
  context: orderSignContext,
  selections: false,
  facts: {
    intendedUse:
      'When a prescriber signs orders, repeat the medication safety checks on the final set so nothing unsafe is signed unnoticed.',
    intendedPopulation: 'Patients of any age with orders being signed.',
    sources: [
      'Khan DA, et al. Drug allergy: a 2022 practice parameter update. J Allergy Clin Immunol 2022.',
      'Phansalkar S, et al. High-priority drug–drug interactions for use in EHRs. JAMIA 2012.',
      'KDIGO clinical practice guidelines for CKD evaluation and management.',
    ],
  },
});
