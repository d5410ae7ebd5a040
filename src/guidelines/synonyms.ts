// Clinical synonyms and abbreviations. Clinicians write "AFib", guidelines write "atrial
// fibrillation"; both sides of the index are annotated with one marker term per concept, so a
// query in either form finds the passage. The same annotation runs at index and at query time.

/**
 * Each group: a marker key and the surface forms (matched as whole words, case-insensitive). A form
 * may sit in several groups: a drug name also stands for its class ("apixaban" is an anticoagulant).
 */
export const SYNONYM_GROUPS: ReadonlyArray<readonly [key: string, forms: readonly string[]]> = [
  ['afib', ['afib', 'a-fib', 'a fib', 'atrial fibrillation', 'af', 'nvaf', 'non-valvular af']],
  ['aki', ['aki', 'acute kidney injury', 'acute renal failure', 'arf']],
  ['ckd', ['ckd', 'chronic kidney disease', 'chronic renal disease', 'renal impairment', 'kidney disease']],
  [
    'egfr',
    [
      'egfr',
      'gfr',
      'glomerular filtration rate',
      'kidney function',
      'renal function',
      'crcl',
      'creatinine clearance',
    ],
  ],
  ['mi', ['mi', 'myocardial infarction', 'heart attack', 'stemi', 'nstemi']],
  ['acs', ['acs', 'acute coronary syndrome']],
  ['bp', ['bp', 'blood pressure', 'sbp', 'dbp', 'systolic', 'diastolic']],
  ['htn', ['htn', 'hypertension', 'hypertensive', 'high blood pressure']],
  ['dka', ['dka', 'diabetic ketoacidosis', 'ketoacidosis']],
  ['hhs', ['hhs', 'hyperosmolar hyperglycaemic state', 'hyperosmolar hyperglycemic state', 'hyperosmolar']],
  ['pe', ['pe', 'pulmonary embolism', 'pulmonary embolus']],
  ['dvt', ['dvt', 'deep vein thrombosis', 'deep venous thrombosis']],
  ['vte', ['vte', 'venous thromboembolism']],
  [
    'copd',
    ['copd', 'chronic obstructive pulmonary disease', 'chronic obstructive lung disease', 'emphysema'],
  ],
  ['cap', ['cap', 'community-acquired pneumonia', 'community acquired pneumonia']],
  ['hf', ['hf', 'heart failure', 'chf', 'congestive heart failure', 'hfref']],
  [
    'nsaid',
    [
      'nsaid',
      'nsaids',
      'anti-inflammatory',
      'ibuprofen',
      'naproxen',
      'diclofenac',
      'ketorolac',
      'celecoxib',
      'indomethacin',
      'meloxicam',
      'cox-2 inhibitor',
    ],
  ],
  ['acei', ['acei', 'ace inhibitor', 'ace inhibitors', 'lisinopril', 'ramipril', 'enalapril']],
  ['arb', ['arb', 'arbs', 'angiotensin receptor blocker', 'losartan', 'valsartan']],
  ['potassium', ['potassium', 'k+', 'serum potassium']],
  ['hyperk', ['hyperkalaemia', 'hyperkalemia', 'high potassium', 'raised potassium']],
  ['hypok', ['hypokalaemia', 'hypokalemia', 'low potassium']],
  ['spo2', ['spo2', 'sao2', 'sats', 'oxygen saturation', 'pulse oximetry', 'o2 sat', 'o2 sats']],
  ['oxygen', ['oxygen', 'o2', 'supplemental oxygen']],
  ['hypogly', ['hypoglycaemia', 'hypoglycemia', 'low blood sugar', 'low glucose', 'hypo']],
  ['glucose', ['glucose', 'blood sugar', 'bg', 'bgl', 'cbg']],
  ['a1c', ['a1c', 'hba1c', 'haemoglobin a1c', 'hemoglobin a1c']],
  ['gcs', ['gcs', 'glasgow coma scale', 'glasgow coma score']],
  ['tbi', ['tbi', 'traumatic brain injury', 'head injury', 'head trauma', 'head strike']],
  ['ct', ['ct', 'computed tomography', 'ct scan', 'cat scan']],
  ['ecg', ['ecg', 'ekg', 'electrocardiogram', '12-lead']],
  ['hr', ['hr', 'heart rate', 'pulse', 'tachycardia', 'tachycardic']],
  ['rr', ['rr', 'respiratory rate', 'breathing rate', 'tachypnoea', 'tachypnea']],
  ['temp', ['temperature', 'fever', 'febrile', 'pyrexia', 'pyrexial']],
  ['lactate', ['lactate', 'lactic acid', 'serum lactate']],
  ['abx', ['abx', 'antibiotic', 'antibiotics', 'antimicrobial', 'antimicrobials']],
  ['epi', ['epinephrine', 'adrenaline', 'epipen', 'auto-injector']],
  [
    'doac',
    [
      'doac',
      'doacs',
      'noac',
      'direct oral anticoagulant',
      'apixaban',
      'rivaroxaban',
      'edoxaban',
      'dabigatran',
    ],
  ],
  [
    'oac',
    [
      'oac',
      'anticoagulant',
      'anticoagulants',
      'anticoagulation',
      'anticoagulated',
      'blood thinner',
      'blood thinners',
      'doac',
      'apixaban',
      'rivaroxaban',
      'edoxaban',
      'dabigatran',
      'warfarin',
    ],
  ],
  ['vka', ['vka', 'warfarin', 'coumadin', 'vitamin k antagonist']],
  ['pcc', ['pcc', '4f-pcc', 'prothrombin complex concentrate', 'kcentra']],
  ['ssri', ['ssri', 'ssris', 'sertraline', 'fluoxetine', 'citalopram', 'escitalopram', 'paroxetine']],
  [
    'maoi',
    [
      'maoi',
      'maois',
      'mao inhibitor',
      'mao inhibitors',
      'monoamine oxidase inhibitor',
      'linezolid',
      'phenelzine',
    ],
  ],
  ['opioid', ['opioid', 'opioids', 'opiate', 'heroin', 'fentanyl', 'morphine', 'oxycodone', 'methadone']],
  ['naloxone', ['naloxone', 'narcan']],
  ['tdp', ['tdp', 'torsades', 'torsades de pointes']],
  ['qt', ['qt', 'qtc', 'long qt', 'qt prolongation', 'qt interval']],
  ['esi', ['esi', 'emergency severity index', 'triage level']],
  ['news', ['news', 'news2', 'early warning score']],
  [
    'pregnancy',
    ['pregnancy', 'pregnant', 'antepartum', 'postpartum', 'obstetric', 'preeclampsia', 'pre-eclampsia'],
  ],
  ['elderly', ['elderly', 'older adult', 'older adults', 'geriatric', 'aged 65']],
  [
    'paeds',
    [
      'paediatric',
      'pediatric',
      'child',
      'children',
      'infant',
      'infants',
      'toddler',
      'neonate',
      'peds',
      'paeds',
    ],
  ],
  ['si', ['shock index']],
  [
    'ich',
    ['ich', 'intracranial haemorrhage', 'intracranial hemorrhage', 'intracranial bleed', 'brain bleed'],
  ],
  ['tpa', ['tpa', 'alteplase', 'tenecteplase', 'tnk', 'thrombolysis', 'thrombolytic', 'lysis']],
  ['evt', ['evt', 'thrombectomy', 'endovascular']],
  ['lvo', ['lvo', 'large vessel occlusion', 'large-vessel occlusion']],
  ['map', ['map', 'mean arterial pressure']],
  ['si-suicide', ['suicide', 'suicidal', 'self-harm', 'suicidal ideation']],
  ['pcn', ['penicillin', 'penicillins', 'amoxicillin', 'pcn', 'beta-lactam']],
  ['ceph', ['cephalosporin', 'cephalosporins', 'cefazolin', 'ceftriaxone', 'cephalexin']],
  ['sglt2', ['sglt2', 'sglt2 inhibitor', 'sglt2i', 'empagliflozin', 'dapagliflozin']],
  ['contrast', ['contrast', 'iodinated contrast', 'contrast dye']],
  ['dm', ['diabetes', 'diabetic', 't2dm', 't1dm', 'dm']],
  ['sob', ['sob', 'shortness of breath', 'dyspnoea', 'dyspnea', 'breathless', 'breathlessness']],
  ['female', ['female', 'woman', 'women', 'female sex']],
  ['male', ['male', 'man', 'men', 'male sex']],
  ['ams', ['ams', 'altered mental status', 'altered mentation', 'confusion', 'confused', 'delirium']],
];

const MARKER_PREFIX = 'zsyn';

const WORD = /[\p{L}\p{N}]+/gu;

// "K+" loses its plus sign to any word tokenizer, so it is spelled out first.
const spellOut = (text: string) => text.replace(/(?<![\p{L}\p{N}])k\+/giu, ' potassium ');

const words = (text: string) => spellOut(text).toLowerCase().match(WORD) ?? [];

// Surface forms as word sequences ("a-fib" and "a fib" are both "a fib"), looked up by n-gram.
const FORMS = new Map<string, string[]>();
let longestForm = 1;
for (const [key, forms] of SYNONYM_GROUPS) {
  for (const form of forms) {
    const seq = words(form);
    if (seq.length === 0) continue;
    const gram = seq.join(' ');
    FORMS.set(gram, [...(FORMS.get(gram) ?? []), `${MARKER_PREFIX}${key.replace(/[^a-z0-9]/g, '')}`]);
    longestForm = Math.max(longestForm, seq.length);
  }
}

/** Marker terms for every concept mentioned in the text. */
export function conceptMarkers(text: string): string[] {
  const seq = words(text);
  const found = new Set<string>();
  for (let i = 0; i < seq.length; i++) {
    let gram = '';
    for (let n = 0; n < longestForm && i + n < seq.length; n++) {
      gram = n === 0 ? seq[i]! : `${gram} ${seq[i + n]}`;
      for (const marker of FORMS.get(gram) ?? []) found.add(marker);
    }
  }
  return [...found];
}

/** The text plus its concept markers: what is indexed and what is searched. */
export function withSynonyms(text: string): string {
  const markers = conceptMarkers(text);
  return markers.length === 0 ? text : `${text} ${markers.join(' ')}`;
}
