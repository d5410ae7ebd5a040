// Every rule, in the order their findings are listed (most acute physiology first, then medication safety).
import { afibAnticoagulation } from './afib-anticoagulation.ts';
import { beers } from './beers.ts';
import type { Rule } from './context.ts';
import { drugAllergy } from './drug-allergy.ts';
import { drugInteraction } from './drug-interaction.ts';
import { duplicateTherapy } from './duplicate-therapy.ts';
import { headInjuryAnticoagulant } from './head-injury-anticoagulant.ts';
import { hyperkalaemia } from './hyperkalaemia.ts';
import { hypoglycaemia } from './hypoglycaemia.ts';
import { akiRule, metforminRenal, nsaidRenal, renalDose } from './kidney.ts';
import { news2Escalation } from './news2-escalation.ts';
import { sepsisScreen } from './sepsis-screen.ts';

export const RULES: ReadonlyArray<{ id: string; run: Rule }> = [
  { id: 'sepsis-screen', run: sepsisScreen },
  { id: 'news2-escalation', run: news2Escalation },
  { id: 'hypoglycaemia', run: hypoglycaemia },
  { id: 'hyperkalaemia', run: hyperkalaemia },
  { id: 'head-injury-anticoagulant', run: headInjuryAnticoagulant },
  { id: 'aki-creatinine-rise', run: akiRule },
  { id: 'metformin-renal', run: metforminRenal },
  { id: 'nsaid-renal', run: nsaidRenal },
  { id: 'renal-dose', run: renalDose },
  { id: 'afib-anticoagulation', run: afibAnticoagulation },
  { id: 'drug-allergy', run: drugAllergy },
  { id: 'duplicate-therapy', run: duplicateTherapy },
  { id: 'drug-interaction', run: drugInteraction },
  { id: 'beers-criteria', run: beers },
];

export const FINDING_IDS = RULES.map((r) => r.id);
