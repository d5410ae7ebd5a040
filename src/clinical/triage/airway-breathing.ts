// Airway and breathing: respiratory failure and hypoventilation (decision point A), severe breathlessness
// and threatened airway (decision point B, §1.5.1 respiratory and paediatric rows).
import { PASSAGE, SOURCE } from './passages.ts';
import { complaintHit, onVital, type TriageRule } from './types.ts';

export const AIRWAY_BREATHING_RULES: readonly TriageRule[] = [
  {
    // Respiratory failure is an ESI 1 example (v4); 85 % is our cut-off, below the NEWS2 scale-2 3-point
    // band (≤ 83) plus a margin, so it holds even for COPD targets.
    id: 'spo2-below-85',
    level: 1,
    point: 'A',
    system: 'airway-breathing',
    source: SOURCE.pointA,
    passage: PASSAGE.lifeSaving,
    topic: 'esi-triage',
    evaluate: onVital(
      'spo2',
      (v) => v < 85,
      (v) => `SpO2 ${v} % is below 85 %`,
    ),
  },
  {
    // Hypoventilation needing airway or ventilation support (NEWS2's lowest band).
    id: 'rr-8-or-less',
    level: 1,
    point: 'A',
    system: 'airway-breathing',
    source: SOURCE.pointA,
    passage: PASSAGE.lifeSaving,
    topic: 'esi-triage',
    evaluate: onVital(
      'respiratoryRate',
      (v) => v <= 8,
      (v) => `Respiratory rate ${v}/min is 8 or less`,
    ),
  },
  {
    id: 'severe-breathlessness',
    level: 2,
    point: 'B',
    system: 'airway-breathing',
    source: SOURCE.pointB,
    passage: PASSAGE.breathlessness,
    topic: 'high-risk-situation',
    evaluate: (ctx) =>
      complaintHit(
        ctx,
        ['severe-breathlessness'],
        (w) =>
          `The chief complaint describes severe or sudden breathlessness ("${w}"), a high-risk situation`,
      ),
  },
  {
    id: 'airway-threat',
    level: 2,
    point: 'B',
    system: 'airway-breathing',
    source: SOURCE.pointB,
    passage: PASSAGE.airway,
    topic: 'high-risk-situation',
    evaluate: (ctx) =>
      complaintHit(
        ctx,
        ['airway-swelling', 'anaphylaxis'],
        (w) => `The chief complaint names a threatened airway or anaphylaxis ("${w}"), a high-risk situation`,
      ),
  },
];
