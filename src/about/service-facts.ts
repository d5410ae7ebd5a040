// What each CDS service is for and what it must not be used for, in our own words. The source
// attributes follow ONC HTI-1 §170.315(b)(11)(iv) and the basis FDA's CDS guidance (criterion 4) asks
// a clinician to be able to review. Per-service text is here; live figures come from the runtime
// and the latest evaluation report.

export interface ServiceFacts {
  intendedUse: string;
  intendedUsers: string[];
  intendedPopulation: string;
  decisionRole: string;
  outputs: string[];
  /** Bibliographic citations of the interventions the rules implement. */
  sources: string[];
  cautionedUses: string[];
  limitations: string[];
}

const COMMON_CAUTIONS = [
  'Not a diagnosis and not an order: every card is advice for a clinician who reviews the inputs, the rule and the cited passage before acting.',
  'Not for autonomous triage, unattended monitoring or alarm systems; it runs only when the EHR calls it.',
  'Not for use without the patient’s recent data: missing vitals or labs make scores unavailable (shown as such), never guessed.',
];

const COMMON_LIMITATIONS = [
  'Rules read coded data (LOINC, SNOMED CT, RxNorm); results recorded only as free text or under local codes may be missed.',
  'Readings older than the rule’s window (24 h for vital signs) are not treated as current.',
  'Evaluated on fictional vignettes written by the developers, not on real patients at your site: validate locally before clinical use.',
];

export const SERVICE_FACTS: Record<string, ServiceFacts> = {
  'citecare-patient-view': {
    intendedUse:
      'When a clinician opens a patient’s chart, compute early-warning and risk scores and show guideline-cited findings (possible sepsis, unsafe renally cleared drugs, atrial fibrillation without anticoagulation, hyperkalaemia and others).',
    intendedUsers: ['Physicians', 'Registered nurses', 'Advanced practice providers', 'Pharmacists'],
    intendedPopulation:
      'Adults in hospital, emergency or clinic settings. NEWS2 and qSOFA are computed for ages 16 and over only; children get age-banded vital-sign flags.',
    decisionRole: 'Informs: points to findings and their evidence; the clinician decides.',
    outputs: [
      'NEWS2, qSOFA, SIRS, shock index, CHA2DS2-VASc and eGFR where computable',
      'Findings with severity, evidence and citations',
    ],
    sources: [
      'Royal College of Physicians. National Early Warning Score (NEWS) 2. London: RCP, 2017.',
      'Singer M, et al. The Third International Consensus Definitions for Sepsis and Septic Shock (Sepsis-3). JAMA 2016;315(8):801–810.',
      'Evans L, et al. Surviving Sepsis Campaign: international guidelines 2021. Crit Care Med / Intensive Care Med 2021.',
      'Lip GYH, et al. Refining clinical risk stratification for predicting stroke in atrial fibrillation (CHA2DS2-VASc). Chest 2010;137(2):263–272.',
      'Inker LA, et al. New creatinine- and cystatin C-based equations to estimate GFR without race (CKD-EPI 2021). N Engl J Med 2021.',
      'KDIGO clinical practice guidelines for CKD evaluation and management.',
    ],
    cautionedUses: [...COMMON_CAUTIONS, 'NEWS2 is not validated in pregnancy or for people under 16.'],
    limitations: [
      ...COMMON_LIMITATIONS,
      'qSOFA is a prognostic prompt, not a sepsis screen on its own; the sepsis finding combines it with other signals.',
    ],
  },
  'citecare-encounter-start': {
    intendedUse:
      'At the start of an emergency encounter, suggest a triage acuity level (1 most urgent to 5) with the reasons, never less urgent than the deterministic safety rules require.',
    intendedUsers: ['Triage nurses', 'Emergency physicians'],
    intendedPopulation: 'Patients of any age presenting to an emergency department.',
    decisionRole: 'Augments: proposes a level and red flags; the triage nurse assigns the level.',
    outputs: [
      'Suggested acuity level with reasons and evidence',
      'Danger-zone vital-sign flags',
      'Findings with citations',
    ],
    sources: [
      'Gilboy N, Tanabe P, Travers D, Rosenau AM. Emergency Severity Index (ESI) Version 4 Implementation Handbook. AHRQ Publication No. 12-0014, 2011 (2012 edition).',
      'Royal College of Physicians. National Early Warning Score (NEWS) 2. London: RCP, 2017.',
      'American Heart Association. Pediatric Advanced Life Support provider manual (vital-sign ranges).',
    ],
    cautionedUses: [
      ...COMMON_CAUTIONS,
      'Software cannot foresee how many resources a patient will need (ESI decision point C): levels 3–5 always need the nurse’s judgement.',
    ],
    limitations: [
      ...COMMON_LIMITATIONS,
      'Without a model the suggestion is the deterministic floor (or a default level when no rule applies), which over-triages minor complaints.',
    ],
  },
  'citecare-order-select': {
    intendedUse:
      'While a prescriber selects a medication order, check it against recorded allergies (including cross-reactivity), current medications and kidney function, and offer to remove an unsafe draft.',
    intendedUsers: ['Prescribers', 'Pharmacists'],
    intendedPopulation: 'Patients of any age with draft medication orders.',
    decisionRole: 'Informs: flags a possible problem with its evidence; the prescriber decides.',
    outputs: [
      'Allergy, interaction, duplicate-therapy and renal-dosing findings',
      'A suggestion to remove the draft order',
    ],
    sources: [
      'Khan DA, et al. Drug allergy: a 2022 practice parameter update. J Allergy Clin Immunol 2022.',
      'American Geriatrics Society 2023 Updated AGS Beers Criteria.',
      'Phansalkar S, et al. High-priority drug–drug interactions for use in EHRs. JAMIA 2012.',
      'KDIGO clinical practice guidelines for CKD evaluation and management.',
    ],
    cautionedUses: [
      ...COMMON_CAUTIONS,
      'Not a substitute for pharmacist review or a full interaction database.',
    ],
    limitations: [
      ...COMMON_LIMITATIONS,
      'The interaction table covers a small set of high-priority pairs, not every known interaction.',
    ],
  },
  'citecare-order-sign': {
    intendedUse:
      'When a prescriber signs orders, repeat the medication safety checks on the final set so nothing unsafe is signed unnoticed.',
    intendedUsers: ['Prescribers', 'Pharmacists'],
    intendedPopulation: 'Patients of any age with orders being signed.',
    decisionRole: 'Informs: flags a possible problem with its evidence; the prescriber decides.',
    outputs: [
      'Allergy, interaction, duplicate-therapy and renal-dosing findings',
      'A suggestion to remove the draft order',
    ],
    sources: [
      'Khan DA, et al. Drug allergy: a 2022 practice parameter update. J Allergy Clin Immunol 2022.',
      'Phansalkar S, et al. High-priority drug–drug interactions for use in EHRs. JAMIA 2012.',
      'KDIGO clinical practice guidelines for CKD evaluation and management.',
    ],
    cautionedUses: [
      ...COMMON_CAUTIONS,
      'Not a substitute for pharmacist review or a full interaction database.',
    ],
    limitations: [
      ...COMMON_LIMITATIONS,
      'The interaction table covers a small set of high-priority pairs, not every known interaction.',
    ],
  },
};

/** ONC (b)(11)(iv)(A)(5)–(13): whether each demographic or social variable is an input. */
export const INPUT_VARIABLES: Array<{ variable: string; used: boolean; how: string }> = [
  { variable: 'Race', used: false, how: 'Not used. eGFR uses the race-free CKD-EPI 2021 equation.' },
  { variable: 'Ethnicity', used: false, how: 'Not used.' },
  { variable: 'Language', used: false, how: 'Not used.' },
  { variable: 'Sexual orientation', used: false, how: 'Not used.' },
  { variable: 'Gender identity', used: false, how: 'Not used.' },
  {
    variable: 'Sex',
    used: true,
    how: 'Used: the CHA2DS2-VASc female-sex point and the sex coefficient of CKD-EPI 2021; passed to the model as male/female/other/unknown.',
  },
  {
    variable: 'Date of birth (age)',
    used: true,
    how: 'Used as age: age bands for scores and paediatric vital-sign limits. The model sees age in years only, capped at 90+.',
  },
  { variable: 'Social determinants of health', used: false, how: 'Not used.' },
  {
    variable: 'Health status assessments',
    used: true,
    how: 'Limited: pregnancy status, level of consciousness (ACVPU, GCS) and pain score where recorded. No functional, disability or social assessments.',
  },
];

export const MAINTENANCE = {
  developer: 'The CiteCare open-source project (Apache-2.0).',
  funding:
    'No external funding of the technical implementation is declared by the project. A deploying organisation should state its own.',
  schedule: [
    'The evaluation (npm run eval) is re-run on every release, every change to rules, prompts or the guideline corpus, and every model change; the figures on this page are read from its latest report.',
    'The guideline corpus is reviewed at least every 12 months and whenever a source guideline publishes a new edition; its version hash changes with any edit and is recorded with every decision.',
    'Clinician feedback (accepted and overridden cards, with reasons) is recorded in the audit trail; deploying sites should review override patterns at least monthly and report suspected errors to the project.',
    'When a validity or safety problem is found, the faulty rule is switched to silent mode (SILENT_SERVICES) or corrected in the next release, and the evaluation is re-run before it is re-enabled.',
  ],
} as const;
