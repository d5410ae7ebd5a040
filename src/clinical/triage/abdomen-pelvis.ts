// Abdomen, genitourinary and obstetric rows of §1.5.1: abdominal pain in an older adult, GI bleeding,
// testicular torsion, a dialysis patient who cannot be dialysed, possible ectopic pregnancy, bleeding in
// pregnancy, warning signs after 20 weeks, and severe blood pressure in pregnancy (ACOG, §2.4).
import { fmt } from '../format.ts';
import { vital } from '../scores/inputs.ts';
import { PASSAGE, SOURCE } from './passages.ts';
import type { TriageContext, TriageRule } from './types.ts';

/** Tachycardia for the bleeding rules: the adult danger-zone heart rate (ESI v4, §1.5). */
const BLEEDING_TACHYCARDIA = 100;

function tachycardia({ s }: TriageContext) {
  const hr = vital(s, 'heartRate');
  return hr && hr.value > BLEEDING_TACHYCARDIA ? hr : undefined;
}

function pregnancyWords(ctx: TriageContext): string {
  const p = ctx.signals.pregnancy;
  if (!p) return '';
  if (p.stated)
    return `pregnancy named in the complaint ("${ctx.signals.complaint.get('stated-pregnancy')}")`;
  return p.gestationalWeeks !== undefined ? `pregnant, ${p.gestationalWeeks} weeks` : 'pregnant';
}

export const ABDOMEN_PELVIS_RULES: readonly TriageRule[] = [
  {
    id: 'abdominal-pain-older-adult',
    level: 2,
    point: 'B',
    system: 'abdominal',
    source: SOURCE.pointB,
    passage: PASSAGE.olderAbdomen,
    topic: 'high-risk-situation',
    evaluate({ s, signals }) {
      const words = signals.complaint.get('abdominal-pain') ?? signals.complaint.get('renal-colic');
      if (words === undefined || signals.ageBand !== 'older-adult') return undefined;
      return {
        reason: `Abdominal pain ("${words}") at ${s.patient.ageYears} years: high risk in an older adult even with normal vital signs`,
        evidence: [s.patient.source],
      };
    },
  },
  {
    id: 'gi-bleeding',
    level: 2,
    point: 'B',
    system: 'abdominal',
    source: SOURCE.pointB,
    passage: PASSAGE.giBleed,
    topic: 'high-risk-situation',
    evaluate(ctx) {
      const c = ctx.signals.complaint;
      const upper = c.get('upper-gi-bleed');
      if (upper !== undefined)
        return { reason: `Possible upper GI bleeding ("${upper}"): a high-risk situation`, evidence: [] };
      const lower = c.get('rectal-bleeding');
      if (lower === undefined) return undefined;
      const hr = tachycardia(ctx);
      const anticoagulant = ctx.signals.anticoagulants[0];
      if (!hr && !anticoagulant) return undefined;
      return {
        reason: `Rectal bleeding ("${lower}") with ${hr ? `heart rate ${fmt(hr.value)}/min` : `${anticoagulant!.display} (anticoagulant)`}: a high-risk situation`,
        evidence: [hr?.source, anticoagulant?.source],
      };
    },
  },
  {
    id: 'testicular-torsion',
    level: 2,
    point: 'B',
    system: 'genitourinary',
    source: SOURCE.pointB,
    passage: PASSAGE.torsion,
    topic: 'high-risk-situation',
    evaluate({ s, signals }) {
      const words = signals.complaint.get('testicular-pain');
      if (words === undefined || s.patient.sex === 'female') return undefined;
      return {
        reason: `Testicular pain or swelling ("${words}"): possible torsion, time-critical`,
        evidence: [],
      };
    },
  },
  {
    id: 'dialysis-missed',
    level: 2,
    point: 'B',
    system: 'genitourinary',
    source: SOURCE.pointB,
    passage: PASSAGE.dialysis,
    topic: 'high-risk-situation',
    evaluate({ signals }) {
      const c = signals.complaint;
      // "missed session" counts when the complaint or the record says the patient is on dialysis.
      const onDialysis = signals.dialysis !== undefined || c.has('dialysis-mentioned');
      const words = c.get('missed-dialysis') ?? (onDialysis ? c.get('missed-session') : undefined);
      if (words === undefined) return undefined;
      return {
        reason: `A dialysis patient who could not be dialysed ("${words}"): risk of fluid overload and high potassium`,
        evidence: signals.dialysis?.evidence ?? [],
      };
    },
  },
  {
    id: 'possible-ectopic',
    level: 2,
    point: 'B',
    system: 'obstetric',
    source: SOURCE.pointB,
    passage: PASSAGE.ectopic,
    topic: 'pregnancy',
    evaluate(ctx) {
      const { signals } = ctx;
      const c = signals.complaint;
      const named = c.get('ectopic');
      if (named !== undefined) return { reason: `Possible ectopic pregnancy ("${named}")`, evidence: [] };
      const pain = c.get('lower-abdominal-pain') ?? c.get('abdominal-pain');
      const p = signals.pregnancy;
      // Ectopic pregnancy is an early-pregnancy diagnosis; after 20 weeks other rules apply.
      if (!p || pain === undefined || (p.gestationalWeeks !== undefined && p.gestationalWeeks >= 20))
        return undefined;
      return {
        reason: `Abdominal or pelvic pain ("${pain}") with ${pregnancyWords(ctx)}: possible ectopic pregnancy`,
        evidence: p.evidence,
      };
    },
  },
  {
    id: 'pregnancy-bleeding',
    level: 2,
    point: 'B',
    system: 'obstetric',
    source: SOURCE.pointB,
    passage: PASSAGE.pregnancyBleeding,
    topic: 'pregnancy',
    evaluate(ctx) {
      const { signals } = ctx;
      const p = signals.pregnancy;
      const c = signals.complaint;
      const bleed = c.get('vaginal-bleeding') ?? c.get('miscarriage');
      if (!p || bleed === undefined) return undefined;
      const hr = tachycardia(ctx);
      const pain = c.get('lower-abdominal-pain') ?? c.get('abdominal-pain');
      const late = p.gestationalWeeks !== undefined && p.gestationalWeeks >= 20;
      if (!hr && pain === undefined && !late) return undefined;
      const why = hr
        ? `heart rate ${fmt(hr.value)}/min`
        : pain !== undefined
          ? `pain ("${pain}")`
          : `${p.gestationalWeeks} weeks of pregnancy`;
      return {
        reason: `Vaginal bleeding ("${bleed}") with ${pregnancyWords(ctx)} and ${why}: possible miscarriage, ectopic or placental bleeding`,
        evidence: [...p.evidence, hr?.source],
      };
    },
  },
  {
    id: 'late-pregnancy-warning',
    level: 2,
    point: 'B',
    system: 'obstetric',
    source: SOURCE.pointBOther,
    passage: PASSAGE.latePregnancy,
    topic: 'pregnancy',
    evaluate({ signals }) {
      const p = signals.pregnancy;
      if (!p || p.gestationalWeeks === undefined || p.gestationalWeeks < 20) return undefined;
      const c = signals.complaint;
      const sign =
        c.get('headache') ?? c.get('thunderclap-headache') ?? c.get('vision-loss') ?? c.get('seizure');
      if (sign === undefined) return undefined;
      return {
        reason: `"${sign}" at ${p.gestationalWeeks} weeks of pregnancy: possible pre-eclampsia`,
        evidence: p.evidence,
      };
    },
  },
  {
    id: 'pregnancy-severe-bp',
    level: 2,
    point: 'B',
    system: 'obstetric',
    source: SOURCE.pregnancyBp,
    passage: PASSAGE.pregnancyBp,
    topic: 'pregnancy-hypertension',
    evaluate({ s, signals }) {
      const sbp = vital(s, 'systolicBP');
      const dbp = vital(s, 'diastolicBP');
      if (!signals.pregnancy || !((sbp && sbp.value >= 160) || (dbp && dbp.value >= 110))) return undefined;
      return {
        reason: `Blood pressure ${sbp ? fmt(sbp.value, 0) : '?'}/${dbp ? fmt(dbp.value, 0) : '?'} mmHg is in the severe range for pregnancy`,
        evidence: [sbp?.source, dbp?.source, ...signals.pregnancy.evidence],
      };
    },
  },
];
