// Every rule in the triage registry: the case that triggers it, a near miss that must not, and (where
// a complaint drives it) a denied or past mention that must not. A rule added without a row here fails.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeScores } from '../../src/clinical/assess/assess.ts';
import { evaluateTriageRules } from '../../src/clinical/triage/floor.ts';
import { TRIAGE_RULES } from '../../src/clinical/triage/index.ts';
import type { ClinicalSnapshot } from '../../src/clinical/types.ts';
import { m, NORMAL_VITALS, snapshot } from './clinical-test-helpers.ts';

type Opts = NonNullable<Parameters<typeof snapshot>[0]>;
const fired = (s: ClinicalSnapshot) => {
  const r = evaluateTriageRules(s, computeScores(s));
  return [...r.rules, ...r.advisories].map((x) => x.id);
};
const adult = (o: Opts = {}): ClinicalSnapshot => snapshot({ vitals: NORMAL_VITALS, ...o });
const cc = (chiefComplaint: string, o: Opts = {}) => adult({ chiefComplaint, ...o });
const v = (vitals: Record<string, unknown>, o: Opts = {}) =>
  snapshot({ ...o, vitals: { ...NORMAL_VITALS, ...vitals } as Opts['vitals'] });
const chemo = { display: 'carboplatin 450 MG injection', ingredients: [], classes: [] };
const tacrolimus = { display: 'tacrolimus 1 MG capsule', ingredients: [], classes: [] };
const warfarin = { ingredients: ['warfarin'], classes: ['anticoagulant'], display: 'warfarin 5 MG' };

interface Row {
  trigger: ClinicalSnapshot;
  nearMiss: ClinicalSnapshot;
  /** A denied or past mention that must not trigger (complaint-driven rules). */
  negated?: ClinicalSnapshot;
}

const ROWS: Record<string, Row> = {
  'spo2-below-85': { trigger: v({ spo2: 84 }), nearMiss: v({ spo2: 85 }) },
  'rr-8-or-less': { trigger: v({ respiratoryRate: 8 }), nearMiss: v({ respiratoryRate: 9 }) },
  'severe-breathlessness': {
    trigger: cc("can't catch my breath"),
    nearMiss: cc('mild cough, a bit short of breath on stairs'),
    negated: cc('no difficulty breathing, gasping denied'),
  },
  'airway-threat': {
    trigger: cc('drooling and muffled voice'),
    nearMiss: cc('sore throat, swallowing ok'),
    negated: cc('no tongue swelling'),
  },
  'sbp-below-70': { trigger: v({ systolicBP: 69 }), nearMiss: v({ systolicBP: 70 }) },
  'sbp-below-pals': {
    trigger: v({ systolicBP: 75 }, { ageYears: 5 }),
    nearMiss: v({ systolicBP: 80 }, { ageYears: 5 }),
  },
  'hypotension-lactate': {
    trigger: v({ systolicBP: 85 }, { labs: { lactate: 4.2 } }),
    nearMiss: v({ systolicBP: 85 }, { labs: { lactate: 3.9 } }),
  },
  'hypotension-heart-rate': {
    trigger: v({ systolicBP: 85, heartRate: 45 }),
    nearMiss: v({ systolicBP: 85, heartRate: 50 }),
  },
  'chest-pain': {
    trigger: cc('CP radiating to left arm'),
    nearMiss: cc('sore throat and cough'),
    negated: cc('denies chest pain, here for a rash'),
  },
  'aortic-pain': {
    trigger: cc('sudden tearing pain through to the back'),
    nearMiss: cc('back pain after lifting'),
    negated: cc('no tearing pain'),
  },
  'limb-ischaemia': {
    trigger: cc('cold pale left leg, cannot feel a pulse'),
    nearMiss: cc('cold and cough for a week'),
    negated: cc('leg ache, pulses present, no pallor'),
  },
  'endocarditis-risk': {
    trigger: cc('injects heroin, shivery', { vitals: { ...NORMAL_VITALS, temperature: 38.6 } }),
    nearMiss: cc('injects heroin, wants a needle exchange'),
    negated: cc('history of IV drug use years ago, fever', {
      vitals: { ...NORMAL_VITALS, temperature: 38.6 },
    }),
  },
  unresponsive: { trigger: v({ avpu: m(0, { code: 'P' }) }), nearMiss: v({ avpu: m(0, { code: 'V' }) }) },
  'altered-mentation': {
    trigger: v({ avpu: m(0, { code: 'C' }) }),
    nearMiss: v({ avpu: m(0, { code: 'A' }) }),
  },
  'new-confusion': {
    trigger: cc('suddenly confused since this morning, not making sense'),
    nearMiss: cc('forgetful for two years, memory clinic referral'),
    negated: cc('confused at baseline, here after a fall'),
  },
  'stroke-signs': {
    trigger: cc('facial droop and slurred speech'),
    nearMiss: cc('tired legs after a long walk'),
    negated: cc('mother had a stroke, here for a BP check'),
  },
  'sudden-severe-headache': {
    trigger: cc('worst headache of my life'),
    nearMiss: cc('mild headache with a cold'),
    negated: cc('headache, not sudden, no thunderclap'),
  },
  'meningitis-picture': {
    trigger: cc('headache and stiff neck', { vitals: { ...NORMAL_VITALS, temperature: 38.9 } }),
    nearMiss: cc('headache and stiff neck after gardening'),
    negated: cc('fever and headache, no stiff neck, no rash', {
      vitals: { ...NORMAL_VITALS, temperature: 38.9 },
    }),
  },
  seizure: {
    trigger: cc('had a fit at home'),
    nearMiss: cc('felt shaky after skipping lunch'),
    negated: cc('seizure as a child, now a sprained wrist'),
  },
  'eye-emergency': {
    trigger: cc('bleach splashed in eye'),
    nearMiss: cc('sticky red eye since yesterday'),
    negated: cc('no loss of vision, gritty eye'),
  },
  'hypoglycaemia-altered': {
    trigger: v({ avpu: m(0, { code: 'C' }) }, { labs: { glucose: 45 } }),
    nearMiss: adult({ labs: { glucose: 45 } }),
  },
  'glucose-below-54': {
    trigger: adult({ labs: { glucose: 53 } }),
    nearMiss: adult({ labs: { glucose: 54 } }),
  },
  'potassium-6.5': {
    trigger: adult({ labs: { potassium: 6.5 } }),
    nearMiss: adult({ labs: { potassium: 6.4 } }),
  },
  'lactate-4': { trigger: adult({ labs: { lactate: 4 } }), nearMiss: adult({ labs: { lactate: 3.9 } }) },
  'anaphylaxis-hypotension': {
    trigger: v({ systolicBP: 84 }, { chiefComplaint: 'hives and lip swelling after a wasp sting' }),
    nearMiss: v({ systolicBP: 92 }, { chiefComplaint: 'hives and lip swelling after a wasp sting' }),
    negated: v({ systolicBP: 84 }, { chiefComplaint: 'dizzy on standing, no hives, no swelling' }),
  },
  'immunocompromised-fever': {
    trigger: adult({ medications: [chemo], vitals: { ...NORMAL_VITALS, temperature: 38.3 } }),
    nearMiss: adult({ medications: [chemo], chiefComplaint: 'cut finger on a knife' }),
    negated: adult({ medications: [tacrolimus], chiefComplaint: 'no fever, not unwell, sprained ankle' }),
  },
  'overdose-or-poisoning': {
    trigger: cc('took too many paracetamol tablets'),
    nearMiss: cc('needs a repeat of her tablets'),
    negated: cc('denies overdose, fell off a bike'),
  },
  'button-battery': {
    trigger: cc('toddler swallowed a button battery', { ageYears: 2 }),
    nearMiss: cc('battery in the remote, wants advice', { ageYears: 2 }),
    negated: cc('no battery swallowed, coughing', { ageYears: 2 }),
  },
  'child-dehydration': {
    trigger: cc('vomiting and diarrhoea, no wet nappies', { ageYears: 1 }),
    nearMiss: cc('vomiting and diarrhoea, no wet nappies'),
    negated: cc('vomited once, drinking well, plenty of wet nappies', { ageYears: 1 }),
  },
  'febrile-neonate': {
    trigger: v({ temperature: 38.0 }, { ageYears: 0, ageMonths: 0 }),
    nearMiss: v({ temperature: 38.0 }, { ageYears: 0, ageMonths: 1 }),
  },
  'hypothermic-infant': {
    trigger: v({ temperature: 36.4 }, { ageYears: 0, ageMonths: 2 }),
    nearMiss: v({ temperature: 36.4 }, { ageYears: 0, ageMonths: 3 }),
  },
  'news2-5-or-more': {
    trigger: v({ respiratoryRate: 25, heartRate: 112 }),
    nearMiss: v({ respiratoryRate: 22, heartRate: 95 }),
  },
  'news2-single-3': { trigger: v({ temperature: 35.0 }), nearMiss: v({ temperature: 35.1 }) },
  'qsofa-positive': {
    trigger: v({ respiratoryRate: 22, systolicBP: 100 }),
    nearMiss: v({ respiratoryRate: 21, systolicBP: 100 }),
  },
  'spo2-below-92': { trigger: v({ spo2: 91 }), nearMiss: v({ spo2: 92 }) },
  'danger-zone': { trigger: v({ heartRate: 101 }), nearMiss: v({ heartRate: 100 }) },
  'shock-index-1': {
    trigger: v({ heartRate: 100, systolicBP: 100 }),
    nearMiss: v({ heartRate: 99, systolicBP: 100 }),
  },
  'abdominal-pain-older-adult': {
    trigger: cc('tummy ache since lunch', { ageYears: 78 }),
    nearMiss: cc('tummy ache since lunch', { ageYears: 64 }),
    negated: cc('no abdominal pain, wants a flu jab', { ageYears: 78 }),
  },
  'gi-bleeding': {
    trigger: cc('vomiting blood x2'),
    nearMiss: cc('bright red blood on the paper, haemorrhoids'),
    negated: cc('no blood in vomit, vomiting after a takeaway'),
  },
  'testicular-torsion': {
    trigger: cc('sudden L testicle pain', { sex: 'male', ageYears: 15 }),
    nearMiss: cc('testicular lump, painless, 3 months', { sex: 'male', ageYears: 30 }),
    negated: cc('no testicular pain, dysuria', { sex: 'male', ageYears: 30 }),
  },
  'dialysis-missed': {
    trigger: cc('missed dialysis since Friday', { conditions: ['End-stage renal disease on haemodialysis'] }),
    nearMiss: cc('dialysis done this morning, itchy skin', {
      conditions: ['End-stage renal disease on haemodialysis'],
    }),
  },
  'possible-ectopic': {
    trigger: cc('period is late and the test was positive, sharp pain low down on the left'),
    nearMiss: cc('period pain, negative pregnancy test'),
    negated: cc('lower abdominal pain, not pregnant'),
  },
  'pregnancy-bleeding': {
    trigger: v({ heartRate: 112 }, { pregnant: true, chiefComplaint: 'PV bleed since this morning' }),
    nearMiss: v({ heartRate: 82 }, { pregnant: true, chiefComplaint: 'light spotting after a smear test' }),
    negated: v({ heartRate: 112 }, { pregnant: true, chiefComplaint: 'no vaginal bleeding, heartburn' }),
  },
  'late-pregnancy-warning': {
    trigger: snapshot({
      vitals: NORMAL_VITALS,
      chiefComplaint: 'headache and seeing spots',
      pregnant: true,
      gestationalWeeks: 32,
    }),
    nearMiss: snapshot({
      vitals: NORMAL_VITALS,
      chiefComplaint: 'headache and seeing spots',
      pregnant: true,
      gestationalWeeks: 12,
    }),
    negated: snapshot({
      vitals: NORMAL_VITALS,
      chiefComplaint: 'no headache, backache',
      pregnant: true,
      gestationalWeeks: 32,
    }),
  },
  'pregnancy-severe-bp': {
    trigger: v({ systolicBP: 162 }, { pregnant: true }),
    nearMiss: v({ systolicBP: 158 }, { pregnant: true }),
  },
  'suicidal-or-homicidal': {
    trigger: cc("doesn't want to be alive anymore"),
    nearMiss: cc('SI joint pain after lifting'),
    negated: cc('denies SI/HI, here for a sprained wrist'),
  },
  'assault-or-intoxicated-injury': {
    trigger: cc('drunk, fell and cut head'),
    nearMiss: cc('drunk, wants a taxi'),
    negated: cc('no alcohol, tripped and grazed knee'),
  },
  'high-risk-mechanism': {
    trigger: cc('pedestrian hit by a car'),
    nearMiss: cc('bumped knee on a table'),
    negated: cc('MVC, no LOC, walking at scene, neck ache'),
  },
  'head-injury-anticoagulant': {
    trigger: cc('fell and hit head', { medications: [warfarin] }),
    nearMiss: cc('fell and hit head'),
  },
  'severe-pain': {
    trigger: cc('severe colicky flank pain', { vitals: { ...NORMAL_VITALS, pain: 9 } }),
    nearMiss: cc('severe colicky flank pain', { vitals: { ...NORMAL_VITALS, pain: 6 } }),
    negated: cc('usual back pain flared after gardening', {
      vitals: { ...NORMAL_VITALS, pain: 8 },
      conditions: ['Chronic low back pain'],
    }),
  },
  'consider-level-2-pain': {
    trigger: cc('usual back pain flared after gardening', {
      vitals: { ...NORMAL_VITALS, pain: 8 },
      conditions: ['Chronic low back pain'],
    }),
    nearMiss: cc('usual back pain flared after gardening', { vitals: { ...NORMAL_VITALS, pain: 5 } }),
  },
};

describe('triage rule registry', () => {
  test('every rule has a trigger and a near miss here, and every rule id is unique', () => {
    const ids = TRIAGE_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(
      ids.filter((id) => !ROWS[id]),
      [],
    );
  });

  for (const rule of TRIAGE_RULES) {
    const row = ROWS[rule.id];
    if (!row) continue;
    test(`${rule.id}: triggers, and the near miss does not`, () => {
      assert.ok(fired(row.trigger).includes(rule.id), `trigger: ${fired(row.trigger).join(', ')}`);
      assert.ok(!fired(row.nearMiss).includes(rule.id), `near miss fired: ${fired(row.nearMiss).join(', ')}`);
      if (row.negated) assert.ok(!fired(row.negated).includes(rule.id), 'a denied or past mention fired');
    });
  }
});
