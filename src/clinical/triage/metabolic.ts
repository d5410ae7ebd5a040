// Metabolic and laboratory limits: hypoglycaemia with altered consciousness (decision point A, ADA level 3
// picture, §2.6), level 2 hypoglycaemia, severe hyperkalaemia (§2.8) and lactate ≥ 4 mmol/L (§2.1).
import { fmt } from '../format.ts';
import { consciousness, lab } from '../scores/inputs.ts';
import { PASSAGE, SOURCE } from './passages.ts';
import type { TriageRule } from './types.ts';

export const METABOLIC_RULES: readonly TriageRule[] = [
  {
    id: 'hypoglycaemia-altered',
    level: 1,
    point: 'A',
    system: 'metabolic',
    source: SOURCE.hypoglycaemia,
    passage: PASSAGE.hypoglycaemiaLevel3,
    topic: 'hypoglycaemia',
    evaluate({ s }) {
      const glucose = lab(s, 'glucose');
      const mind = consciousness(s);
      if (!glucose || glucose.value >= 54 || !mind || mind.level === 'A') return undefined;
      return {
        reason: `Glucose ${fmt(glucose.value, 0)} mg/dL with altered consciousness`,
        evidence: [glucose.source, mind.source],
      };
    },
  },
  {
    id: 'glucose-below-54',
    level: 2,
    point: 'B',
    system: 'metabolic',
    source: SOURCE.hypoglycaemia,
    passage: PASSAGE.hypoglycaemiaLevel2,
    topic: 'hypoglycaemia',
    evaluate({ s }) {
      const glucose = lab(s, 'glucose');
      if (!glucose || glucose.value >= 54) return undefined;
      return {
        reason: `Glucose ${fmt(glucose.value, 0)} mg/dL is below 54 mg/dL`,
        evidence: [glucose.source],
      };
    },
  },
  {
    id: 'potassium-6.5',
    level: 2,
    point: 'B',
    system: 'metabolic',
    source: SOURCE.hyperkalaemia,
    passage: PASSAGE.hyperkalaemia,
    topic: 'hyperkalaemia',
    evaluate({ s }) {
      const k = lab(s, 'potassium');
      if (!k || k.value < 6.5) return undefined;
      return { reason: `Potassium ${fmt(k.value)} mmol/L is 6.5 mmol/L or more`, evidence: [k.source] };
    },
  },
  {
    id: 'lactate-4',
    level: 2,
    point: 'B',
    system: 'metabolic',
    source: SOURCE.sepsis,
    passage: PASSAGE.lactate,
    topic: 'lactate',
    evaluate({ s }) {
      const lactate = lab(s, 'lactate');
      if (!lactate || lactate.value < 4) return undefined;
      return {
        reason: `Lactate ${fmt(lactate.value)} mmol/L is 4 mmol/L or more`,
        evidence: [lactate.source],
      };
    },
  },
];
