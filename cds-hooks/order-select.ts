import { medicationSafetyService } from './medication-safety.ts';
import { orderSelectContext } from './request-schema.ts';

export const orderSelect = medicationSafetyService({
  hook: 'order-select',
  title: 'CiteCare medication safety (order selection)',
  description:
    'Checks the selected draft medication orders against allergies (including penicillin–cephalosporin cross-reactivity), current medications (duplicates and high-priority interactions) and kidney function (renal dose alerts), with guideline citations and a suggestion to remove the draft order.',
  context: orderSelectContext,
  selections: true,
  facts: {
    intendedUse:
      'While a prescriber selects a medication order, check it against recorded allergies (including cross-reactivity), current medications and kidney function, and offer to remove an unsafe draft.',
    intendedPopulation: 'Patients of any age with draft medication orders.',
    sources: [
      'Khan DA, et al. Drug allergy: a 2022 practice parameter update. J Allergy Clin Immunol 2022.',
      'American Geriatrics Society 2023 Updated AGS Beers Criteria.',
      'Phansalkar S, et al. High-priority drug–drug interactions for use in EHRs. JAMIA 2012.',
      'KDIGO clinical practice guidelines for CKD evaluation and management.',
    ],
  },
});
