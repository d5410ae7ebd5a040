// Condition code groups: the codes (SNOMED CT, ICD-10-CM) and the display-text fallback for uncoded data
// that each group of conditions is recognised by. conditions-query.ts is the one place that reads them.
import { SNOMED } from './codes.ts';

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
  /** Triage signals (§1.5.1): current immunocompromise (transplant status Z94.x and neutropenia D70.x in ICD-10-CM). */
  immunocompromise: {
    codes: [
      TRIAGE_SNOMED.neutropenia,
      TRIAGE_SNOMED.febrileNeutropenia,
      TRIAGE_SNOMED.chemotherapy,
      'Z94.0',
      'Z94.1',
      'Z94.2',
      'Z94.4',
      'Z94.81',
      'Z94.84',
      'D70.1',
      'D70.9',
    ],
    text: /transplant|neutropeni|chemotherapy|immunodeficien|immunosuppress|immunocompromis|agranulocytosis/i,
  },
  dialysis: {
    codes: [TRIAGE_SNOMED.dependenceOnRenalDialysis, TRIAGE_SNOMED.renalDialysis, 'Z99.2', 'Z992'],
    text: /dialysis|dialysed|dialyzed/i,
  },
  acuteConfusion: {
    codes: [TRIAGE_SNOMED.acuteConfusion, TRIAGE_SNOMED.delirium],
    text: /acute confusion|delirium|acute confusional/i,
  },
  chronicPain: {
    codes: [TRIAGE_SNOMED.chronicPain],
    text: /chronic (\w+ )*pain|fibromyalgia|chronic (low )?back|chronic pelvic|chronic pancreatitis|migraine/i,
  },
  sickleCell: { codes: [TRIAGE_SNOMED.sickleCellDisease], text: /sickle/i },
} as const;

export type ConditionGroup = keyof typeof CONDITION_GROUPS;
