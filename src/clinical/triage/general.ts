// General and paediatric situations: anaphylaxis with hypotension (decision point A), an
// immunocompromised patient with fever (§1.5.1; IDSA/ASCO 2018 for fever after chemotherapy), overdose or
// poisoning, a swallowed button battery or magnets, dehydration in a child, and the febrile or hypothermic
// young infant (ESI v4 examples, §1.5).
import { conditionsIn } from '../conditions-query.ts';
import { fmt } from '../format.ts';
import { vital } from '../scores/inputs.ts';
import type { AllergyFact, ClinicalSnapshot, ResourceRef } from '../types.ts';
import { ADULT_HYPOTENSION_SBP, isChild } from './circulation.ts';
import { PASSAGE, SOURCE } from './passages.ts';
import { onVital, type TriageContext, type TriageRule } from './types.ts';

/** How long a coded anaphylaxis/allergic-reaction condition counts as the current episode. */
const REACTION_WINDOW_MS = 24 * 3_600_000;
const ALLERGEN_NOISE =
  /\b(allergy|allergic|intolerance) (to|of)\b|\((substance|finding|disorder|product)\)/gi;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The recorded allergy whose substance the complaint names ("after eating peanuts" with a Peanut allergy
 * on file): exposure to a known allergen, the third NIAID/FAAN criterion. Names shorter than four
 * letters are ignored so abbreviations cannot match by accident.
 */
export function namedRecordedAllergen(
  text: string | undefined,
  allergies: readonly AllergyFact[],
): AllergyFact | undefined {
  if (!text) return undefined;
  for (const a of allergies) {
    const names = [a.display, ...a.codes.map((c) => c.display ?? ''), ...(a.ingredients ?? [])]
      .map((n) => n.replace(ALLERGEN_NOISE, ' ').replace(/\s+/g, ' ').trim().toLowerCase())
      .filter((n) => n.length >= 4 && n !== 'unnamed substance');
    // Word start only, so "peanut" matches "peanuts" but "ant" never matches "giant".
    for (const n of new Set(names)) if (new RegExp(`\\b${escapeRegExp(n)}`, 'i').test(text)) return a;
  }
  return undefined;
}

/** What says an acute allergic reaction is going on, with its evidence; undefined when nothing does. */
export function allergicReaction(
  s: ClinicalSnapshot,
  ctx: Pick<TriageContext, 'signals'>,
): { what: string[]; evidence: ResourceRef[] } | undefined {
  const atMs = Date.parse(s.at);
  const what: string[] = [];
  const evidence: ResourceRef[] = [];
  const coded = conditionsIn(s.conditions, 'anaphylaxis').filter(
    (c) => !c.onset || atMs - Date.parse(c.onset) <= REACTION_WINDOW_MS,
  );
  if (coded.length > 0) {
    what.push(`a recorded ${coded[0]!.display.toLowerCase()}`);
    evidence.push(...coded.map((c) => c.source));
  }
  if (ctx.signals.complaint.has('allergic-reaction'))
    what.push('an allergic reaction in the chief complaint');
  const allergen = namedRecordedAllergen(s.chiefComplaint, s.allergies);
  if (allergen) {
    what.push(`exposure to ${allergen.display}, a recorded allergy`);
    evidence.push(allergen.source);
  }
  return what.length > 0 ? { what, evidence } : undefined;
}

/** The age in months is known and below `months`. */
function ageUnder(s: ClinicalSnapshot, months: number): boolean {
  return s.patient.ageMonths !== null && s.patient.ageMonths < months;
}

export const GENERAL_RULES: readonly TriageRule[] = [
  {
    id: 'anaphylaxis-hypotension',
    level: 1,
    point: 'A',
    system: 'general',
    source: SOURCE.anaphylaxis,
    passage: PASSAGE.anaphylaxis,
    topic: 'anaphylaxis',
    evaluate(ctx) {
      const { s } = ctx;
      const sbp = vital(s, 'systolicBP');
      if (!sbp || isChild(s.patient.ageMonths) || sbp.value >= ADULT_HYPOTENSION_SBP) return undefined;
      const reaction = allergicReaction(s, ctx);
      if (!reaction) return undefined;
      return {
        reason: `Systolic BP ${fmt(sbp.value)} mmHg is below 90 mmHg with ${reaction.what.join(' and ')}: possible anaphylaxis with circulatory compromise`,
        evidence: [sbp.source, ...reaction.evidence],
      };
    },
  },
  {
    id: 'immunocompromised-fever',
    level: 2,
    point: 'B',
    system: 'general',
    source: SOURCE.pointB,
    passage: PASSAGE.immunocompromised,
    topic: 'immunocompromise',
    // §1.5.1: immunocompromised patients are high risk "with or without fever"; an injury alone does not
    // make them so, so the rule needs fever or a complaint of being unwell.
    evaluate({ signals }) {
      const fever = signals.fever;
      const immuno = signals.immunocompromise;
      const unwell = signals.complaint.get('systemically-unwell');
      if (immuno.length === 0 || (!fever && unwell === undefined)) return undefined;
      const chemo = immuno.find((i) => /chemotherapy|neutropen/i.test(i.what));
      const who = (chemo ?? immuno[0]!).what;
      if (!fever)
        return {
          reason: `An immunocompromised patient (${who}) who is unwell ("${unwell}"): high risk with or without fever`,
          evidence: immuno.map((i) => i.evidence),
        };
      return {
        reason: `Fever (${fever.what}) in an immunocompromised patient (${who})${chemo ? ': possible neutropenic sepsis, antibiotics within 1 hour' : ''}`,
        evidence: [...fever.evidence, ...immuno.map((i) => i.evidence)],
        passage: chemo ? PASSAGE.febrileNeutropenia : PASSAGE.immunocompromised,
      };
    },
  },
  {
    id: 'overdose-or-poisoning',
    level: 2,
    point: 'B',
    system: 'toxicology',
    source: SOURCE.pointBOther,
    passage: PASSAGE.overdose,
    topic: 'ingestion',
    evaluate({ signals }) {
      const words = signals.complaint.get('overdose');
      return words === undefined ? undefined : { reason: `Overdose or poisoning ("${words}")`, evidence: [] };
    },
  },
  {
    id: 'button-battery',
    level: 2,
    point: 'B',
    system: 'toxicology',
    source: SOURCE.buttonBattery,
    passage: PASSAGE.buttonBattery,
    topic: 'ingestion',
    evaluate({ signals }) {
      const words = signals.complaint.get('button-battery');
      if (words === undefined) return undefined;
      return {
        reason: `A swallowed battery or magnets ("${words}"): burns can start within 2 hours`,
        evidence: [],
      };
    },
  },
  {
    id: 'child-dehydration',
    level: 2,
    point: 'B',
    system: 'paediatric',
    source: SOURCE.pointB,
    passage: PASSAGE.dehydration,
    topic: 'high-risk-situation',
    evaluate({ s, signals }) {
      const band = signals.ageBand;
      if (band === null || band === 'adult' || band === 'older-adult') return undefined;
      // A severe sign (sunken fontanelle, no wet nappies, floppy) is enough; a milder one (not feeding,
      // dry mouth) needs vomiting or diarrhoea with it.
      const severe = signals.complaint.get('dehydration-severe');
      const sign = signals.complaint.get('dehydration');
      const losses = signals.complaint.get('vomiting-diarrhoea');
      if (severe === undefined && (sign === undefined || losses === undefined)) return undefined;
      const what = [losses, sign, severe].filter((w) => w !== undefined).map((w) => `"${w}"`);
      return {
        reason: `A child with ${what.join(' and ')}: possible dehydration, a high-risk situation`,
        evidence: [s.patient.source],
      };
    },
  },
  {
    id: 'febrile-neonate',
    level: 2,
    point: 'B',
    system: 'paediatric',
    source: SOURCE.infants,
    passage: PASSAGE.infants,
    topic: 'fever-infant',
    evaluate: onVital(
      'temperature',
      (v, s) => ageUnder(s, 1) && v >= 38.0,
      (v) => `Temperature ${v} °C in an infant under 1 month`,
      { citePatient: true },
    ),
  },
  {
    id: 'hypothermic-infant',
    level: 2,
    point: 'B',
    system: 'paediatric',
    source: SOURCE.infants,
    passage: PASSAGE.infants,
    topic: 'fever-infant',
    evaluate: onVital(
      'temperature',
      (v, s) => ageUnder(s, 3) && v < 36.5,
      (v) => `Temperature ${v} °C is below 36.5 °C in an infant under 3 months`,
      { citePatient: true },
    ),
  },
];
