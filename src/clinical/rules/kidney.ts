// Kidney rules: AKI from a creatinine rise (KDIGO 2012, §1.11), metformin against eGFR (FDA 2016, §2.5),
// NSAIDs in CKD/AKI/heart failure (§2.21) and other renally cleared drafts with eGFR < 30.
import { suggest } from '../actions.ts';
import { conditionsIn } from '../conditions-query.ts';
import { fmt } from '../format.ts';
import { egfrText } from '../scores/egfr.ts';
import type { Finding, Measurement, MedicationFact, ResourceRef } from '../types.ts';
import { finding, hasClass, type RuleContext } from './context.ts';

const H48 = 48 * 3_600_000;
/** Each stage cites its own KDIGO staging passage (the summary names the stage). */
const AKI_STAGE_QUERY: Record<1 | 2 | 3, string> = {
  1: 'KDIGO AKI stage 1: creatinine 1.5 to 1.9 times baseline or a rise of 0.3 mg/dL',
  2: 'KDIGO AKI stage 2: creatinine 2.0 to 2.9 times baseline',
  3: 'KDIGO AKI stage 3: creatinine 3.0 times baseline or 4.0 mg/dL or more',
};
const NSAID_QUERY = {
  kidney: 'NSAIDs in kidney disease: avoid prolonged use in CKD, avoid when creatinine clearance is below 30',
  heartFailure: 'NSAIDs in heart failure: worsen symptoms, avoid or withdraw',
  tripleWhammy: 'triple whammy: NSAID with an ACE inhibitor or ARB and a diuretic, acute kidney injury',
};
/** Renally cleared drugs the corpus names as "avoid below 30"; the others get the dosing-measure passage. */
const LISTED_AVOID_BELOW_30 = ['nitrofurantoin', 'spironolactone'];
const METFORMIN_QUERY = {
  below30: 'metformin eGFR below 30: contraindicated, stop it',
  from30to45: 'metformin eGFR 30 to 45: do not start; weigh benefits and risks of continuing',
};
const D7 = 7 * 24 * 3_600_000;

export interface AkiResult {
  stage: 1 | 2 | 3;
  latest: Measurement;
  baseline: Measurement;
  criterion: string;
}

/**
 * KDIGO thresholds are inclusive ("1.5×", "3.0×", "≥ 4.0 mg/dL"), but 1.65 / 1.1 is 1.4999… in binary
 * floating point. Every AKI comparison goes through this one tolerance, far below any reported precision.
 */
const TOLERANCE = 1e-9;
function atLeast(value: number, threshold: number): boolean {
  return value >= threshold - TOLERANCE;
}

/** KDIGO creatinine criteria on the snapshot's series (no urine output in the snapshot). */
export function detectAki(
  latest: Measurement | undefined,
  history: readonly Measurement[],
): AkiResult | undefined {
  if (!latest) return undefined;
  const t = Date.parse(latest.at);
  let min48: Measurement | undefined;
  let min7d: Measurement | undefined;
  for (const m of history) {
    if (m.implausible) continue;
    const mt = Date.parse(m.at);
    if (mt >= t) continue;
    if (t - mt <= H48 && (!min48 || m.value < min48.value)) min48 = m;
    if (t - mt <= D7 && (!min7d || m.value < min7d.value)) min7d = m;
  }
  const ratio = min7d ? latest.value / min7d.value : 0;
  const rise = min48 ? latest.value - min48.value : 0;
  const byRatio = atLeast(ratio, 1.5);
  if (!byRatio && !atLeast(rise, 0.3)) return undefined;
  const baseline = byRatio ? min7d! : min48!;
  const r = latest.value / baseline.value;
  // Any criterion met counts as "a rise" for the ≥ 4.0 mg/dL stage-3 limb.
  const stage: 1 | 2 | 3 = atLeast(r, 3) || atLeast(latest.value, 4.0) ? 3 : atLeast(r, 2) ? 2 : 1;
  const criterion = byRatio
    ? `${fmt(ratio)}× the lowest value in the previous 7 days`
    : `a rise of ${fmt(rise, 2)} mg/dL within 48 hours`;
  return { stage, latest, baseline, criterion };
}

export function akiRule(ctx: RuleContext): Finding[] {
  const series = ctx.snapshot.labs.creatinine;
  const aki = detectAki(series?.latest, series?.history ?? []);
  if (!aki) return [];
  const risky = ctx.active.filter(
    (m) =>
      hasClass(m, 'nsaid') ||
      hasClass(m, 'metformin') ||
      hasClass(m, 'ace-inhibitor') ||
      hasClass(m, 'arb') ||
      hasClass(m, 'diuretic'),
  );
  return [
    finding({
      id: 'aki-creatinine-rise',
      severity: aki.stage === 3 ? 'critical' : 'warning',
      summary: `Creatinine ${fmt(aki.latest.value, 2)} mg/dL meets KDIGO AKI stage ${aki.stage} (${aki.criterion}).`,
      detail: [
        `Creatinine went from ${fmt(aki.baseline.value, 2)} to ${fmt(aki.latest.value, 2)} mg/dL: ${aki.criterion}.`,
        'Look for the cause, review fluids, and pause nephrotoxic or renally cleared drugs where it is safe to do so.',
        risky.length > 0 ? `Current drugs worth reviewing: ${risky.map((m) => m.display).join('; ')}.` : '',
      ]
        .filter((l) => l !== '')
        .join('\n'),
      evidence: [aki.latest.source, aki.baseline.source, ...risky.map((m) => m.source)],
      topics: ['aki', 'renal-dosing'],
      query: AKI_STAGE_QUERY[aki.stage],
      suggestions: [suggest('order-creatinine')],
    }),
  ];
}

export function metforminRenal(ctx: RuleContext): Finding[] {
  const renal = ctx.renal;
  if (!renal) return [];
  const out: Finding[] = [];
  const e = renal.egfr;
  for (const m of [...ctx.active, ...ctx.drafts]) {
    if (!hasClass(m, 'metformin')) continue;
    const base = {
      evidence: [m.source, ...renal.source],
      topics: ['metformin' as const, 'egfr' as const, 'renal-dosing' as const, 'ckd' as const],
      query: e < 30 ? METFORMIN_QUERY.below30 : METFORMIN_QUERY.from30to45,
    };
    if (m.draft && e < 45) {
      out.push(
        finding({
          id: 'metformin-renal',
          severity: e < 30 ? 'critical' : 'warning',
          summary:
            e < 30
              ? `Metformin ordered with ${labelShort(renal)} ${egfrText(e)}: contraindicated below 30.`
              : `Metformin ordered with ${labelShort(renal)} ${egfrText(e)}: do not start between 30 and 45.`,
          detail: `${renal.label}: ${egfrText(e)} mL/min/1.73 m². Metformin should not be started when eGFR is 30–45 and is contraindicated below 30.`,
          ...base,
          suggestions: [suggest('remove-draft-order', { targetRef: m.source, isRecommended: true })],
        }),
      );
    } else if (!m.draft && e < 30) {
      out.push(
        finding({
          id: 'metformin-renal',
          severity: 'critical',
          summary: `On metformin with ${labelShort(renal)} ${egfrText(e)}: contraindicated below 30; stop it.`,
          detail: `${renal.label}: ${egfrText(e)} mL/min/1.73 m². Below 30 metformin is contraindicated and should be stopped.`,
          ...base,
          suggestions: [suggest('review-medication')],
        }),
      );
    } else if (!m.draft && e < 45) {
      out.push(
        finding({
          id: 'metformin-renal',
          severity: 'info',
          summary: `On metformin with ${labelShort(renal)} ${egfrText(e)}: weigh benefits and risks of continuing.`,
          detail: `${renal.label}: ${egfrText(e)} mL/min/1.73 m². When eGFR falls below 45 on metformin, review whether to continue and recheck kidney function more often.`,
          ...base,
          suggestions: [suggest('review-medication')],
        }),
      );
    }
  }
  return out;
}

function labelShort(renal: NonNullable<RuleContext['renal']>): string {
  return renal.label.startsWith('eGFR (CKD-EPI') ? 'eGFR' : 'reported eGFR';
}

export function nsaidRenal(ctx: RuleContext): Finding[] {
  const s = ctx.snapshot;
  const renal = ctx.renal;
  const series = s.labs.creatinine;
  const aki = detectAki(series?.latest, series?.history ?? []);
  const akiConditions = conditionsIn(s.conditions, 'aki');
  const hf = conditionsIn(s.conditions, 'heartFailure');
  const out: Finding[] = [];
  const others = [...ctx.active, ...ctx.drafts];
  for (const m of others) {
    if (!hasClass(m, 'nsaid')) continue;
    const reasons: string[] = [];
    const queries: string[] = [];
    const evidence: Array<ResourceRef | undefined> = [m.source];
    if (renal && renal.egfr < 30) {
      reasons.push(`${labelShort(renal)} ${egfrText(renal.egfr)} is below 30`);
      queries.push(NSAID_QUERY.kidney);
      evidence.push(...renal.source);
    }
    if (aki || akiConditions.length > 0) {
      reasons.push('acute kidney injury');
      queries.push(NSAID_QUERY.kidney);
      evidence.push(aki?.latest.source, ...akiConditions.map((c) => c.source));
    }
    if (hf.length > 0) {
      reasons.push('heart failure');
      queries.push(NSAID_QUERY.heartFailure);
      evidence.push(...hf.map((c) => c.source));
    }
    const ras = others.filter((o) => o !== m && (hasClass(o, 'ace-inhibitor') || hasClass(o, 'arb')));
    const diuretic = others.filter((o) => o !== m && hasClass(o, 'diuretic'));
    if (ras.length > 0 && diuretic.length > 0) {
      reasons.push('an ACE inhibitor/ARB plus a diuretic ("triple whammy")');
      queries.push(NSAID_QUERY.tripleWhammy);
      evidence.push(ras[0].source, diuretic[0].source);
    }
    if (reasons.length === 0) continue;
    out.push(
      finding({
        id: 'nsaid-renal',
        severity: m.draft ? 'warning' : 'info',
        summary: `${m.draft ? 'NSAID ordered' : 'On an NSAID'} with ${reasons[0]}: avoid or withdraw where possible.`,
        detail: `NSAIDs reduce kidney blood flow and worsen heart failure. Present here: ${reasons.join('; ')}. Prefer another analgesic.`,
        evidence,
        topics: ['nsaid', 'ckd', 'renal-dosing', ...(aki ? (['aki'] as const) : [])],
        // The first reason is the one the summary names, so its passage is the one cited.
        query: queries[0],
        suggestions: m.draft
          ? [suggest('remove-draft-order', { targetRef: m.source, isRecommended: true })]
          : [suggest('review-medication')],
      }),
    );
  }
  return out;
}

/** Other renally cleared drugs ordered with eGFR < 30: the dose (or the drug) needs checking. */
export function renalDose(ctx: RuleContext): Finding[] {
  const renal = ctx.renal;
  if (!renal || renal.egfr >= 30) return [];
  const out: Finding[] = [];
  for (const m of ctx.drafts) {
    if (!hasClass(m, 'renally-cleared') || hasClass(m, 'metformin')) continue;
    out.push(renalDoseFinding(m, renal));
  }
  return out;
}

function renalDoseFinding(m: MedicationFact, renal: NonNullable<RuleContext['renal']>): Finding {
  return finding({
    id: 'renal-dose',
    severity: 'warning',
    summary: `${m.display} is renally cleared and ${labelShort(renal)} is ${egfrText(renal.egfr)}: check the dose or choose another drug.`,
    detail: `${renal.label}: ${egfrText(renal.egfr)} mL/min/1.73 m² (KDIGO G4–G5). Check the product's renal dosing before signing.`,
    evidence: [m.source, ...renal.source],
    topics: ['renal-dosing', 'ckd', 'egfr'],
    query: m.ingredients.some((i) => LISTED_AVOID_BELOW_30.includes(i))
      ? `drugs to avoid at low clearance, creatinine clearance below 30 mL/min: ${m.ingredients.join(' ')}`
      : 'which kidney measure to use for a dosing decision: an accurate eGFR near the threshold, labelled with its source',
    suggestions: [suggest('remove-draft-order', { targetRef: m.source })],
  });
}
