// The guideline passage (chunk id `<document>#<section>`) each triage reason cites. A reason cites the
// passage about that very reason, never a neighbouring section or one written for another age group;
// tests/unit/triage-citations.test.ts checks every id exists and carries the rule's topic.
const ESI = 'esi-triage-decision-points';
const CARDIO = 'esi-high-risk-cardiorespiratory';
const ABDO = 'esi-high-risk-abdomen-and-pelvis';
const NEURO = 'esi-high-risk-neurological';
const MIND = 'esi-high-risk-mental-health-and-trauma';
const GENERAL = 'esi-high-risk-general-and-paediatric';

export const PASSAGE = {
  lifeSaving: `${ESI}#decision-point-a-life-saving-intervention`,
  softwareFloor: `${ESI}#software-and-the-esi-floor`,
  lowRiskLevels: `${ESI}#levels-4-and-5-need-a-low-risk-patient`,
  palsHypotension: 'paediatric-vital-signs#systolic-hypotension-by-age',
  lactate: 'sepsis-lactate#lactate-thresholds',
  hypoglycaemiaLevel3: 'hypoglycaemia-levels#level-3-hypoglycaemia',
  hypoglycaemiaLevel2: 'hypoglycaemia-levels#level-2-hypoglycaemia',
  hyperkalaemia: 'hyperkalaemia#severity-bands',
  news2Medium: 'news2-escalation#score-5-to-6',
  news2High: 'news2-escalation#score-7-or-more',
  news2Single3: 'news2-escalation#single-parameter-scoring-3',
  qsofa: 'sepsis-3-definitions#interpreting-qsofa',
  dangerZoneThresholds: 'esi-danger-zone-vitals#danger-zone-thresholds',
  dangerZoneUse: 'esi-danger-zone-vitals#using-the-danger-zone',
  shockIndex: 'shock-index#thresholds',
  infants: 'esi-high-risk-infants#febrile-and-hypothermic-infants',
  pregnancyBp: 'pregnancy-severe-hypertension#severe-range',
  headInjuryAnticoagulant: 'head-injury-anticoagulants#anticoagulants-and-antiplatelets',
  chestPain: `${CARDIO}#possible-cardiac-chest-pain`,
  aorticPain: `${CARDIO}#tearing-chest-or-back-pain`,
  limbIschaemia: `${CARDIO}#acute-arterial-occlusion`,
  endocarditis: `${CARDIO}#endocarditis-and-pericardial-effusion`,
  breathlessness: `${CARDIO}#severe-breathlessness`,
  airway: `${CARDIO}#airway-threats`,
  olderAbdomen: `${ABDO}#abdominal-pain-in-older-adults`,
  giBleed: `${ABDO}#gastrointestinal-bleeding`,
  torsion: `${ABDO}#testicular-torsion`,
  dialysis: `${ABDO}#dialysis-patients-who-cannot-be-dialysed`,
  ectopic: `${ABDO}#possible-ectopic-pregnancy`,
  pregnancyBleeding: `${ABDO}#bleeding-in-pregnancy`,
  latePregnancy: `${ABDO}#warning-signs-after-20-weeks`,
  newConfusion: `${NEURO}#new-confusion-lethargy-or-disorientation`,
  stroke: `${NEURO}#stroke-signs`,
  thunderclap: `${NEURO}#sudden-severe-headache`,
  meningitis: `${NEURO}#meningitis-picture`,
  seizure: `${NEURO}#new-seizure`,
  eye: `${NEURO}#sudden-loss-of-vision-and-chemical-eye-injury`,
  suicidal: `${MIND}#suicidal-or-homicidal-thoughts`,
  violence: `${MIND}#violence-sexual-assault-and-intoxication-with-injury`,
  mechanism: `${MIND}#high-risk-injury-mechanisms`,
  immunocompromised: `${GENERAL}#immunocompromised-patients`,
  dehydration: `${GENERAL}#dehydration-in-young-children`,
  overdose: `${GENERAL}#overdose-and-poisoning`,
  anaphylaxis: `${GENERAL}#anaphylaxis-and-airway-swelling`,
  buttonBattery: 'button-battery-ingestion#triage-of-a-swallowed-battery-or-magnets',
  febrileNeutropenia: 'febrile-neutropenia#fever-after-chemotherapy',
  severePain: 'esi-severe-pain#severe-pain-or-distress',
  chronicPain: 'esi-severe-pain#chronic-pain',
} as const;

/** The ESI source lines shown with each reason (clinical-sources sections and the primary documents). */
export const SOURCE = {
  pointA: 'ESI v4 handbook, decision point A (clinical-sources §1.5)',
  pointB: 'ESI v4 handbook, decision point B, table of high-risk situations (clinical-sources §1.5.1)',
  pointBOther: 'ESI literature and ED practice, level 2 presentations (clinical-sources §1.5.1) [secondary]',
  confusion: 'ESI v4 handbook, decision point B: new confusion (clinical-sources §1.5.1)',
  pain: 'ESI v4 handbook, decision point B: severe pain or distress (clinical-sources §1.5.1)',
  pointD: 'ESI v4 handbook, decision point D danger-zone vitals (clinical-sources §1.5)',
  infants: 'ESI v4 handbook, level 2 examples in young infants (clinical-sources §1.5) [secondary]',
  softwareFloor: 'CiteCare: deterministic rules only raise acuity (clinical-sources §1.5)',
  news2: 'RCP NEWS2 2017, clinical response chart (clinical-sources §1.1)',
  qsofa: 'Sepsis-3, JAMA 2016 (clinical-sources §1.2)',
  shockIndex: 'Koch et al. 2019 shock index review (clinical-sources §1.4)',
  pals: 'AHA PALS systolic hypotension by age (clinical-sources §1.14)',
  gcs: 'Glasgow Coma Scale (clinical-sources §1.12)',
  sepsis: 'Surviving Sepsis Campaign 2021 (clinical-sources §2.1)',
  hypoglycaemia: 'ADA / IHSG hypoglycaemia levels (clinical-sources §2.6)',
  hyperkalaemia: 'UK Kidney Association hyperkalaemia bands (clinical-sources §2.8)',
  pregnancyBp: 'ACOG severe hypertension in pregnancy (clinical-sources §2.4)',
  headInjury: 'ACEP 2023 head injury on anticoagulants (clinical-sources §2.12)',
  anaphylaxis:
    'NIAID/FAAN anaphylaxis criteria; ESI v4 decision point A example (clinical-sources §1.5, §2.9)',
  ahaRates: 'AHA 2020 adult bradycardia and tachycardia algorithms; ESI v4 decision point A',
  buttonBattery: 'National Capital Poison Center button battery guideline 2018 (clinical-sources §1.5.1)',
  febrileNeutropenia: 'IDSA/ASCO 2018 outpatient febrile neutropenia guideline (clinical-sources §1.5.1)',
} as const;
