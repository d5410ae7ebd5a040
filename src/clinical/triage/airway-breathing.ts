// Airway and breathing: respiratory failure and hypoventilation (decision point A), severe breathlessness
// and threatened airway (decision point B, §1.5.1 respiratory and paediatric rows).
import { fmt } from '../format.ts';
import { vital } from '../scores/inputs.ts';
import { PASSAGE, SOURCE } from './passages.ts';
import { complaintHit, type TriageRule } from './types.ts';

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
    evaluate({ s }) {
      const spo2 = vital(s, 'spo2');
      if (!spo2 || spo2.value >= 85) return undefined;
      return { reason: `SpO2 ${fmt(spo2.value)} % is below 85 %`, evidence: [spo2.source] };
    },
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
    evaluate({ s }) {
      const rr = vital(s, 'respiratoryRate');
      if (!rr || rr.value > 8) return undefined;
      return { reason: `Respiratory rate ${fmt(rr.value)}/min is 8 or less`, evidence: [rr.source] };
    },
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
