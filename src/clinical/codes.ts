// The code systems and clinical codes the core recognises, in one place (clinical-sources.md §4).
// The one other code table is drug-ingredients.ts (RxNorm ingredient and clinical-drug codes).

export const SYSTEM = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ucum: 'http://unitsofmeasure.org',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  /** Our local answer list for ACVPU (no LOINC answer list carries "new confusion"). */
  acvpu: 'urn:citecare:acvpu',
} as const;

export const LOINC = {
  /** Acuity assessment at first encounter: carries the ESI level (no ESI-specific LOINC exists, §4.1). */
  acuityAssessment: '11283-9',
  heartRate: '8867-4',
  heartRateOximetry: '8889-8',
  respiratoryRate: '9279-1',
  systolicBP: '8480-6',
  diastolicBP: '8462-4',
  bpPanel: '85354-9',
  bpPanelLegacy: '55284-4',
  bodyTemperature: '8310-5',
  oralTemperature: '8331-1',
  tympanicTemperature: '8333-7',
  rectalTemperature: '8332-9',
  axillaryTemperature: '8328-7',
  coreTemperature: '8329-5',
  skinTemperature: '39106-0',
  spo2PulseOximetry: '59408-5',
  sao2: '2708-6',
  inhaledO2Concentration: '3150-0',
  inhaledO2Flow: '3151-8',
  gcsTotal: '9269-2',
  gcsEye: '9267-6',
  gcsVerbal: '9270-0',
  gcsMotor: '9268-4',
  avpu: '67775-7',
  pain: '72514-3',
  bodyWeight: '29463-7',
  bodyHeight: '8302-2',
  bodyHeightLying: '8306-3',
  bmi: '39156-5',
  bmiPercentile: '59576-9',
  weightForLengthPercentile: '77606-2',
  headCircumference: '9843-4',
  headCircumferencePercentile: '8289-1',
  creatinineSerum: '2160-0',
  creatinineBlood: '38483-4',
  creatinineMolar: '14682-9',
  egfrMdrd: '33914-3',
  egfrMdrdNonBlack: '48642-3',
  egfrMdrdBlack: '48643-1',
  egfrCkdEpi2009: '62238-1',
  egfrCkdEpi2021: '98979-8',
  egfrCrCys2021: '98980-6',
  potassiumSerum: '2823-3',
  potassiumBlood: '6298-4',
  sodiumSerum: '2951-2',
  sodiumBlood: '2947-0',
  bicarbonateSerum: '1963-8',
  co2Serum: '2028-9',
  co2Blood: '20565-8',
  lactateSerum: '2524-7',
  lactateBlood: '32693-4',
  glucoseSerum: '2345-7',
  glucoseBlood: '2339-0',
  glucoseMolar: '14749-6',
  glucoseCapillary: '41653-7',
  wbc: '6690-2',
  hemoglobin: '718-7',
  platelets: '777-3',
  hba1c: '4548-4',
  hba1cHplc: '17856-6',
  urineAlbuminCreatinineRatio: '14959-1',
  inr: '6301-6',
  troponinIHs: '89579-7',
  troponinTHs: '67151-1',
  troponinI: '10839-9',
  troponinT: '6598-7',
  pregnancyStatus: '82810-3',
  bloodCulture: '600-7',
  ctHeadWithoutContrast: '30799-1',
} as const;

/** LOINC answer code for "Pregnant" on 82810-3. */
export const LOINC_ANSWER = { pregnant: 'LA15173-0' } as const;

export const SNOMED = {
  sepsis: '91302008',
  septicShock: '76571007',
  atrialFibrillation: '49436004',
  atrialFlutter: '5370000',
  ckd: '709044004',
  ckdStage1: '431855005',
  ckdStage2: '431856006',
  ckdStage3: '433144002',
  ckdStage4: '431857002',
  ckdStage5: '433146000',
  esrd: '46177005',
  aki: '14669001',
  heartFailure: '84114007',
  congestiveHeartFailure: '42343007',
  chronicCongestiveHeartFailure: '88805009',
  diabetes: '73211009',
  diabetesType2: '44054006',
  diabetesType1: '46635009',
  diabeticKetoacidosis: '420422005',
  hypertension: '38341003',
  essentialHypertension: '59621000',
  copd: '13645005',
  emphysema: '87433001',
  asthma: '195967001',
  pneumonia: '233604007',
  pregnancy: '77386006',
  normalPregnancy: '72892002',
  coronaryHeartDisease: '53741008',
  myocardialInfarction: '22298006',
  pulmonaryEmbolism: '59282003',
  anaphylaxis: '39579001',
  stroke: '230690007',
  tia: '266257000',
  peripheralArterialDisease: '399957001',
  concussionNoLoc: '62106007',
  headInjury: '82271004',
  /** Seen in the CQF sleep-disordered-breathing value set; the only SNOMED hypercapnic-failure code we could confirm. */
  acuteHypercapnicFailureOsa: '101301000119106',
  avpuAlert: '248234008',
  avpuVoice: '300202002',
  avpuVerbal: '255373000',
  avpuPain: '450847001',
  avpuUnresponsive: '422768004',
  /** Acute confusion (finding): ACVPU C when it answers a consciousness observation (§1.5.1). */
  acuteConfusion: '130987000',
  penicillinAllergy: '91936005',
  sulfonamideSubstance: '387406002',
  electrocardiogram: '29303009',
  diabeticRenalDisease: '127013003',
  microalbuminuriaT2d: '90781000119102',
  proteinuriaT2d: '157141000119108',
  microalbuminuria: '312975006',
} as const;

/** ICD-10-CM codes for hypercapnic respiratory failure (J96.x2): they select NEWS2 SpO2 scale 2. */
export const ICD10_HYPERCAPNIC_FAILURE = ['J96.02', 'J96.12', 'J96.22', 'J9602', 'J9612', 'J9622'] as const;

/** Code groups the rules test conditions against; each has a display-text fallback for uncoded data. */
export const CONDITION_GROUPS = {
  atrialFibrillation: {
    codes: [SNOMED.atrialFibrillation, SNOMED.atrialFlutter, 'I48', 'I48.0', 'I48.91'],
    text: /atrial fibrillation|atrial flutter|\bafib\b/i,
  },
  heartFailure: {
    codes: [SNOMED.heartFailure, SNOMED.congestiveHeartFailure, SNOMED.chronicCongestiveHeartFailure],
    text: /heart failure|cardiac failure|left ventricular (systolic )?dysfunction/i,
  },
  hypertension: {
    codes: [SNOMED.hypertension, SNOMED.essentialHypertension],
    text: /hypertensi/i,
  },
  diabetes: {
    codes: [SNOMED.diabetes, SNOMED.diabetesType2, SNOMED.diabetesType1, SNOMED.diabeticKetoacidosis],
    // Diabetes mellitus only: prediabetes, gestational diabetes and diabetes insipidus are not the D of
    // CHA2DS2-VASc (§1.6), so the text match stops at them (code matches are exact anyway).
    text: /^(?!.*\b(pre-?diabet|gestational diabet|diabetes insipidus))(?=.*\b(diabetes|diabetic)).*/i,
  },
  strokeTia: {
    codes: [SNOMED.stroke, SNOMED.tia],
    text: /stroke|cerebral infarction|transient ischa?emic attack|\btia\b|thromboembol|cerebrovascular accident/i,
  },
  vascularDisease: {
    // §1.6 defines V as prior MI, peripheral artery disease or aortic plaque; coronary disease without an
    // infarction is not in that list, so it is not counted.
    codes: [SNOMED.myocardialInfarction, SNOMED.peripheralArterialDisease],
    text: /myocardial infarction|peripheral arter|aortic plaque/i,
  },
  ckd: {
    codes: [
      SNOMED.ckd,
      SNOMED.ckdStage1,
      SNOMED.ckdStage2,
      SNOMED.ckdStage3,
      SNOMED.ckdStage4,
      SNOMED.ckdStage5,
      SNOMED.esrd,
    ],
    text: /chronic kidney disease|end[- ]stage renal/i,
  },
  aki: { codes: [SNOMED.aki], text: /acute (kidney injury|renal failure)/i },
  /** Chart review (§2.25): coded albuminuria or diabetic kidney disease. */
  diabeticKidneyOrAlbuminuria: {
    codes: [
      SNOMED.diabeticRenalDisease,
      SNOMED.microalbuminuriaT2d,
      SNOMED.proteinuriaT2d,
      SNOMED.microalbuminuria,
    ],
    text: /microalbuminuria|albuminuria|proteinuria due to|diabetic (renal|kidney|nephropathy)|diabetic nephropathy/i,
  },
  coronaryDisease: {
    codes: [SNOMED.coronaryHeartDisease, SNOMED.myocardialInfarction],
    text: /coronary (heart|artery) disease|coronary arteriosclerosis|myocardial infarction|angina/i,
  },
  diabetesType1: { codes: [SNOMED.diabetesType1], text: /type 1 diabetes|diabetes mellitus type 1/i },
  pregnancy: {
    codes: [SNOMED.pregnancy, SNOMED.normalPregnancy],
    text: /^(normal )?pregnan(cy|t)\b/i,
  },
  hypercapnicFailure: {
    codes: [SNOMED.acuteHypercapnicFailureOsa, ...ICD10_HYPERCAPNIC_FAILURE],
    text: /hypercapni|type (2|ii) respiratory failure/i,
  },
  infection: {
    codes: [SNOMED.sepsis, SNOMED.septicShock, SNOMED.pneumonia],
    text: /sepsis|septic|infection|infective|pneumonia|cellulitis|pyelonephritis|abscess|meningitis|bacter|urosepsis|cholangitis|osteomyelitis|empyema|endocarditis|peritonitis|sinusitis|pharyngitis|tonsillitis|bronchitis|otitis media|streptococcal|urinary tract infection/i,
  },
  anaphylaxis: {
    codes: [SNOMED.anaphylaxis],
    text: /anaphyla|allergic reaction|angio-?o?edema/i,
  },
  headInjury: {
    codes: [SNOMED.headInjury, SNOMED.concussionNoLoc],
    text: /head injur|injury of (the )?head|head trauma|concussion|intracranial (haemorrhage|hemorrhage)|subdural|skull fracture/i,
  },
} as const;

export type ConditionGroup = keyof typeof CONDITION_GROUPS;

/** SNOMED answers for AVPU (IHE mPSC / PH IG) mapped to the ACVPU letter. */
export const AVPU_ANSWERS: Record<string, 'A' | 'C' | 'V' | 'P' | 'U'> = {
  [SNOMED.avpuAlert]: 'A',
  [SNOMED.avpuVoice]: 'V',
  [SNOMED.avpuVerbal]: 'V',
  [SNOMED.avpuPain]: 'P',
  [SNOMED.avpuUnresponsive]: 'U',
  // "Acute confusion" as the answer of an AVPU/consciousness observation is ACVPU C (§1.5.1).
  [SNOMED.acuteConfusion]: 'C',
  A: 'A',
  C: 'C',
  V: 'V',
  P: 'P',
  U: 'U',
};

/**
 * Code variants of bedside observations that real charts carry (clinical-sources §4.1 notes): the
 * snapshot reads each of them as the same concept.
 */
export const LOINC_VARIANT = {
  /** Level of consciousness, with SNOMED AVPU answers (§4.1; used by national FHIR IGs). */
  levelOfConsciousness: '80288-4',
  systolicSitting: '8459-0',
  systolicStanding: '8460-8',
  systolicSupine: '8461-6',
  diastolicSitting: '8453-3',
  diastolicStanding: '8454-1',
  diastolicSupine: '8455-8',
  bpPanelMean: '96607-7',
  systolicMean: '96608-5',
  diastolicMean: '96609-3',
  temporalArteryTemperature: '75539-7',
  gestationalAgeEstimated: '11884-4',
  gestationalAgeByLmp: '11885-1',
  gestationalAge: '18185-9',
  gestationalAgeWeeks: '49051-6',
  deliveryDateEstimated: '11778-8',
} as const;

/** LOINC answer codes for the GCS components (§4.2), with their points. */
export const GCS_ANSWER_POINTS: Readonly<Record<string, number>> = {
  'LA6553-7': 1,
  'LA6554-5': 2,
  'LA6555-2': 3,
  'LA6556-0': 4,
  'LA6557-8': 1,
  'LA6558-6': 2,
  'LA6559-4': 3,
  'LA6560-2': 4,
  'LA6561-0': 5,
  'LA6562-8': 1,
  'LA6563-6': 2,
  'LA6564-4': 3,
  'LA6565-1': 4,
  'LA6566-9': 5,
  'LA6567-7': 6,
};

/**
 * Vital-sign codes CiteCare knows and deliberately does not score: the panel headers whose members are
 * read one by one, and the body-size measurements of the US Core vital-signs profiles (weight, height,
 * BMI, head circumference and their percentiles), which every chart carries and no triage rule needs.
 * Every other vital-sign code CiteCare does not read (mean arterial pressure, skin temperature, a new
 * code) is reported as "not understood", never dropped silently.
 */
export const LOINC_KNOWN_UNSCORED: readonly string[] = [
  '85353-1',
  '8716-3',
  LOINC.bodyWeight,
  LOINC.bodyHeight,
  LOINC.bodyHeightLying,
  LOINC.bmi,
  LOINC.bmiPercentile,
  LOINC.weightForLengthPercentile,
  LOINC.headCircumference,
  LOINC.headCircumferencePercentile,
];

/** SNOMED CT codes the triage rules read (§1.5.1, §4.4; others from the SNOMED browser [secondary]). */
export const TRIAGE_SNOMED = {
  acuteConfusion: SNOMED.acuteConfusion,
  delirium: '2776000',
  dependenceOnRenalDialysis: '105502003',
  renalDialysis: '108241001',
  neutropenia: '165517008',
  febrileNeutropenia: '409089005',
  chemotherapy: '367336001',
  ectopicPregnancy: '34801009',
  torsionOfTestis: '81996005',
  sickleCellDisease: '417357006',
  chronicPain: '82423001',
} as const;

/** Code lists for the triage signals; each group also has a text fallback where it is read. */
export const CONDITION_CODES = {
  immunocompromise: [
    TRIAGE_SNOMED.neutropenia,
    TRIAGE_SNOMED.febrileNeutropenia,
    TRIAGE_SNOMED.chemotherapy,
    // ICD-10-CM transplant status (Z94.x) and neutropenia (D70.x).
    'Z94.0',
    'Z94.1',
    'Z94.2',
    'Z94.4',
    'Z94.81',
    'Z94.84',
    'D70.1',
    'D70.9',
  ],
  dialysis: [TRIAGE_SNOMED.dependenceOnRenalDialysis, TRIAGE_SNOMED.renalDialysis, 'Z99.2', 'Z992'],
  acuteConfusion: [TRIAGE_SNOMED.acuteConfusion, TRIAGE_SNOMED.delirium],
  chronicPain: [TRIAGE_SNOMED.chronicPain],
  sickleCell: [TRIAGE_SNOMED.sickleCellDisease],
} as const;
