// The transparency facts every about page shows, in our own words. The source attributes follow ONC
// HTI-1 §170.315(b)(11)(iv) and the basis FDA's CDS guidance (criterion 4) asks a clinician to be able
// to review. What one service is for lives in its module (cds-hooks/*.ts, `facts`); what all services
// share is here; live figures come from the runtime and the latest evaluation report.

/** What one service is for and must not be used for, declared by its CDS service module. */
export interface ServiceFacts {
  intendedUse: string;
  intendedUsers: string[];
  intendedPopulation: string;
  decisionRole: string;
  outputs: string[];
  /** Bibliographic citations of the interventions the rules implement. */
  sources: string[];
  /** Cautions particular to the service (the page lists COMMON_CAUTIONS first). */
  cautionedUses: string[];
  /** Limitations particular to the service (the page lists COMMON_LIMITATIONS first). */
  limitations: string[];
}

export const COMMON_CAUTIONS = [
  'Not a diagnosis and not an order: every card is advice for a clinician who reviews the inputs, the rule and the cited passage before acting.',
  'Not for autonomous triage, unattended monitoring or alarm systems; it runs only when the EHR calls it.',
  'Not for use without the patient’s recent data: missing vitals or labs make scores unavailable (shown as such), never guessed.',
];

export const COMMON_LIMITATIONS = [
  'Rules read coded data (LOINC, SNOMED CT, RxNorm); results recorded only as free text or under local codes may be missed.',
  'Readings older than the rule’s window (24 h for vital signs) are not treated as current.',
  'Evaluated on fictional vignettes written by the developers, not on real patients at your site: validate locally before clinical use.',
];

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
