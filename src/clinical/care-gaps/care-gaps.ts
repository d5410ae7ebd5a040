// Chronic-care gaps a chart review can show (clinical-sources §2.25): statin in diabetes at 40–75,
// ACE inhibitor or ARB in diabetes with albuminuria or coronary disease, SGLT2 inhibitor in type 2
// diabetes with CKD, and HbA1c overdue. A gap is a suggestion to consider with its evidence, never an order.
import { LOINC } from '../codes.ts';
import { conditionsIn, inGroup } from '../conditions-query.ts';
import type { ReviewLine } from '../medication-review/review.ts';
import type { ReviewMed } from '../medication-review/review-meds.ts';
import type { RuleContext } from '../rules/context.ts';
import type { ConditionFact, ReviewItem } from '../types.ts';

const DOC = 'diabetes-chronic-care';
export const GAP_PASSAGES = {
  statin: `${DOC}#statin-for-people-with-diabetes-aged-40-to-75`,
  rasBlocker: `${DOC}#ace-inhibitor-or-arb-with-albuminuria-or-coronary-disease`,
  sglt2: `${DOC}#sglt2-inhibitor-in-type-2-diabetes-with-ckd`,
  hba1c: `${DOC}#how-often-to-measure-hba1c`,
} as const;

const HBA1C_OVERDUE_MS = 183 * 86_400_000;
const UACR_ALBUMINURIA = 30;

function conditionText(cs: ConditionFact[]): string {
  return cs.map((c) => `${c.display}${c.onset ? ` (since ${c.onset.slice(0, 10)})` : ''}`).join('; ');
}

function gap(
  rule: string,
  listed: ConditionFact[],
  text: string,
  passage: string,
  extra: { evidence?: string[]; evidenceText?: string[]; advice: string },
): ReviewLine {
  const conditions = listed.filter((c, i) => listed.findIndex((o) => o.source === c.source) === i);
  const item: ReviewItem = {
    key: `care-gap:${rule}`,
    group: 'care-gap',
    rule,
    severity: 'low',
    text,
    evidenceText: [conditionText(conditions), ...(extra.evidenceText ?? [])].filter(Boolean).join('; '),
    fingerprint: conditions
      .map((c) => c.display.toLowerCase())
      .sort()
      .join('|'),
  };
  return {
    item,
    passage,
    evidence: [...conditions.map((c) => c.source), ...(extra.evidence ?? [])],
    advice: extra.advice,
  };
}

/** What every gap rule reads: the snapshot, the diabetes conditions and whether a class is on the list. */
interface GapInput {
  ctx: RuleContext;
  diabetes: ConditionFact[];
  albuminuria: ConditionFact[];
  on: (cls: string) => boolean;
}

const ADVICE = 'A suggestion to consider, not an order.';

function statinGap({ ctx, diabetes, on }: GapInput): ReviewLine | undefined {
  const age = ctx.snapshot.patient.ageYears;
  if (age === null || age < 40 || age > 75 || on('statin')) return undefined;
  return gap(
    'statin-in-diabetes',
    diabetes,
    `Diabetes at age ${age} with no statin on the medication list: consider a moderate-intensity statin.`,
    GAP_PASSAGES.statin,
    { advice: ADVICE },
  );
}

function rasBlockerGap({ ctx, diabetes, albuminuria, on }: GapInput): ReviewLine | undefined {
  const s = ctx.snapshot;
  const uacr = s.labs.uacr?.latest;
  const uacrHigh = uacr && uacr.value >= UACR_ALBUMINURIA ? uacr : undefined;
  const cad = conditionsIn(s.conditions, 'coronaryDisease');
  if (!(albuminuria.length || uacrHigh || cad.length) || on('ace-inhibitor') || on('arb')) return undefined;
  const why = [
    albuminuria.length || uacrHigh ? 'albuminuria or diabetic kidney disease' : '',
    cad.length ? 'coronary disease' : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return gap(
    'ras-blocker-in-diabetes',
    [...diabetes, ...albuminuria, ...cad],
    `Diabetes with ${why} and no ACE inhibitor or ARB: consider one (not both).`,
    GAP_PASSAGES.rasBlocker,
    {
      evidence: uacrHigh ? [uacrHigh.source] : [],
      evidenceText: uacrHigh
        ? [`urine albumin/creatinine ${uacrHigh.value} mg/g on ${uacrHigh.at.slice(0, 10)}`]
        : [],
      advice: ADVICE,
    },
  );
}

function sglt2Gap({ ctx, diabetes, albuminuria, on }: GapInput): ReviewLine | undefined {
  // The condition's own display only, as the gap rule reads it (not its codings' displays).
  const type1Only = diabetes.every((c) => inGroup(c, 'diabetesType1', { codingDisplays: false }));
  const ckd = [
    ...conditionsIn(ctx.snapshot.conditions, 'ckd'),
    ...albuminuria.filter((c) => /kidney|renal|nephropathy/i.test(c.display)),
  ];
  const renal = ctx.renal;
  const kidneysAllow = !renal || renal.egfr >= 20;
  if (type1Only || !ckd.length || on('sglt2-inhibitor') || !kidneysAllow) return undefined;
  const egfr = renal
    ? `${renal.label} ${Math.round(renal.egfr)}`
    : 'no eGFR on record: confirm it is 20 or more';
  return gap(
    'sglt2-in-t2d-ckd',
    [...diabetes, ...ckd],
    `Type 2 diabetes with chronic kidney disease (${egfr}) and no SGLT2 inhibitor: consider one.`,
    GAP_PASSAGES.sglt2,
    { evidence: renal?.source ?? [], advice: ADVICE },
  );
}

function hba1cGap({ ctx, diabetes }: GapInput): ReviewLine | undefined {
  const s = ctx.snapshot;
  const a1c = s.labs.hba1c;
  const newest = a1c?.latest ?? a1c?.history[0];
  const overdue = !newest || Date.parse(s.at) - Date.parse(newest.at) > HBA1C_OVERDUE_MS;
  if (!overdue) return undefined;
  const last = newest
    ? `last HbA1c ${newest.value.toFixed(1)} % on ${newest.at.slice(0, 10)}`
    : `no HbA1c (LOINC ${LOINC.hba1c}) on record`;
  return gap(
    'hba1c-overdue',
    diabetes,
    `Diabetes with no HbA1c in the last 6 months (${last}): consider checking it.`,
    GAP_PASSAGES.hba1c,
    { evidence: newest ? [newest.source] : [], evidenceText: [last], advice: ADVICE },
  );
}

/** The care gaps of a patient with diabetes, in a fixed order; none without diabetes. */
export function careGaps(ctx: RuleContext, meds: ReviewMed[]): ReviewLine[] {
  const diabetes = conditionsIn(ctx.snapshot.conditions, 'diabetes');
  if (diabetes.length === 0) return [];
  const input: GapInput = {
    ctx,
    diabetes,
    albuminuria: conditionsIn(ctx.snapshot.conditions, 'diabeticKidneyOrAlbuminuria'),
    on: (cls) => meds.some((m) => m.classes.has(cls)),
  };
  return [statinGap, rasBlockerGap, sglt2Gap, hba1cGap]
    .map((rule) => rule(input))
    .filter((l): l is ReviewLine => l !== undefined);
}
