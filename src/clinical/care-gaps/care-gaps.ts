// Chronic-care gaps a chart review can show (clinical-sources §2.25): statin in diabetes at 40–75,
// ACE inhibitor or ARB in diabetes with albuminuria or coronary disease, SGLT2 inhibitor in type 2
// diabetes with CKD, and HbA1c overdue. A gap is a suggestion to consider with its evidence, never an order.
import { CONDITION_GROUPS, LOINC } from '../codes.ts';
import { conditionsIn } from '../conditions-query.ts';
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

export function careGaps(ctx: RuleContext, meds: ReviewMed[]): ReviewLine[] {
  const s = ctx.snapshot;
  const diabetes = conditionsIn(s.conditions, 'diabetes');
  if (diabetes.length === 0) return [];
  const on = (cls: string) => meds.some((m) => m.classes.has(cls));
  const age = s.patient.ageYears;
  const out: ReviewLine[] = [];

  if (age !== null && age >= 40 && age <= 75 && !on('statin'))
    out.push(
      gap(
        'statin-in-diabetes',
        diabetes,
        `Diabetes at age ${age} with no statin on the medication list: consider a moderate-intensity statin.`,
        GAP_PASSAGES.statin,
        {
          advice: 'A suggestion to consider, not an order.',
        },
      ),
    );

  const albuminuria = conditionsIn(s.conditions, 'diabeticKidneyOrAlbuminuria');
  const uacr = s.labs.uacr?.latest;
  const uacrHigh = uacr && uacr.value >= UACR_ALBUMINURIA ? uacr : undefined;
  const cad = conditionsIn(s.conditions, 'coronaryDisease');
  if ((albuminuria.length || uacrHigh || cad.length) && !on('ace-inhibitor') && !on('arb')) {
    const why = [
      albuminuria.length || uacrHigh ? 'albuminuria or diabetic kidney disease' : '',
      cad.length ? 'coronary disease' : '',
    ]
      .filter(Boolean)
      .join(' and ');
    out.push(
      gap(
        'ras-blocker-in-diabetes',
        [...diabetes, ...albuminuria, ...cad],
        `Diabetes with ${why} and no ACE inhibitor or ARB: consider one (not both).`,
        GAP_PASSAGES.rasBlocker,
        {
          evidence: uacrHigh ? [uacrHigh.source] : [],
          evidenceText: uacrHigh
            ? [`urine albumin/creatinine ${uacrHigh.value} mg/g on ${uacrHigh.at.slice(0, 10)}`]
            : [],
          advice: 'A suggestion to consider, not an order.',
        },
      ),
    );
  }

  const type1Only = diabetes.every(
    (c) =>
      CONDITION_GROUPS.diabetesType1.text.test(c.display) ||
      c.codes.some((x) => (CONDITION_GROUPS.diabetesType1.codes as readonly string[]).includes(x.code ?? '')),
  );
  const ckd = [
    ...conditionsIn(s.conditions, 'ckd'),
    ...albuminuria.filter((c) => /kidney|renal|nephropathy/i.test(c.display)),
  ];
  const renal = ctx.renal;
  if (!type1Only && ckd.length && !on('sglt2-inhibitor') && (!renal || renal.egfr >= 20)) {
    const egfr = renal
      ? `${renal.label} ${Math.round(renal.egfr)}`
      : 'no eGFR on record: confirm it is 20 or more';
    out.push(
      gap(
        'sglt2-in-t2d-ckd',
        [...diabetes, ...ckd],
        `Type 2 diabetes with chronic kidney disease (${egfr}) and no SGLT2 inhibitor: consider one.`,
        GAP_PASSAGES.sglt2,
        {
          evidence: renal?.source ?? [],
          advice: 'A suggestion to consider, not an order.',
        },
      ),
    );
  }

  const a1c = s.labs.hba1c;
  const newest = a1c?.latest ?? a1c?.history[0];
  if (!newest || Date.parse(s.at) - Date.parse(newest.at) > HBA1C_OVERDUE_MS) {
    const last = newest
      ? `last HbA1c ${newest.value.toFixed(1)} % on ${newest.at.slice(0, 10)}`
      : `no HbA1c (LOINC ${LOINC.hba1c}) on record`;
    out.push(
      gap(
        'hba1c-overdue',
        diabetes,
        `Diabetes with no HbA1c in the last 6 months (${last}): consider checking it.`,
        GAP_PASSAGES.hba1c,
        {
          evidence: newest ? [newest.source] : [],
          evidenceText: [last],
          advice: 'A suggestion to consider, not an order.',
        },
      ),
    );
  }
  return out;
}
