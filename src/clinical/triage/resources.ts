// ESI decision point C counts the different resources a patient will need (clinical-sources §1.5, v4
// Table 5-1): none → 5, one → 4, two or more → 3. Software cannot know them, but some complaints already
// imply a minimum: abdominal pain needs labs and imaging; a likely fracture needs an X-ray; a wound that
// may need closing is a procedure; urinary symptoms need a urine culture. That minimum is a lower bound on
// acuity for a model's suggestion: it can only keep a level more urgent, never make it less.
import type { Concept } from './concepts.ts';
import type { TriageSignals } from './signals.ts';

/** Complaints that imply two or more resource types (labs and imaging, or imaging and a procedure). */
const TWO_OR_MORE: readonly Concept[] = [
  'abdominal-pain',
  'lower-abdominal-pain',
  'renal-colic',
  'upper-gi-bleed',
  'rectal-bleeding',
  'vaginal-bleeding',
  'head-injury',
  'loss-of-consciousness',
  'vehicle-crash',
  'high-risk-mechanism',
  'seizure',
  // A headache that brings someone to the emergency department mostly needs IV medicines and fluids, or
  // imaging: two resource types.
  'headache',
];

/** Complaints that imply at least one resource type. */
const ONE: readonly Concept[] = [
  'limb-injury',
  'acute-pain-site',
  'laceration',
  'urinary-symptoms',
  'cough-or-wheeze',
  'fever',
  'vomiting-diarrhoea',
  'injury',
];

export interface ImpliedResources {
  /** 0, 1, or 2 meaning "two or more". */
  count: 0 | 1 | 2;
  /** The complaint words that imply them. */
  because?: string;
}

export function impliedResources(signals: Pick<TriageSignals, 'complaint'>): ImpliedResources {
  for (const c of TWO_OR_MORE) {
    const words = signals.complaint.get(c);
    if (words !== undefined) return { count: 2, because: words };
  }
  for (const c of ONE) {
    const words = signals.complaint.get(c);
    if (words !== undefined) return { count: 1, because: words };
  }
  return { count: 0 };
}
