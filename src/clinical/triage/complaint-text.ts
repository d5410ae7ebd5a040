// Normalising a nurse's free-text chief complaint before concepts are matched: clinical abbreviations are
// spelled out, lay contractions and common misspellings are corrected, so every concept is written once in
// plain words (concepts.ts) and matched by one matcher (complaint-matcher.ts).

/** Case-sensitive abbreviations: in capitals they mean the clinical term, in lower case an ordinary word. */
const CASED: ReadonlyArray<readonly [RegExp, string]> = [
  // "SI" is suicidal ideation, never the sacroiliac joint; "HI" homicidal ideation, never a greeting.
  [/\bSI\b(?!\s*(?:joint|jt|JOINT|JT|Joint|Jt)\b)/g, ' suicidal ideation '],
  [/\bHI\b/g, ' homicidal ideation '],
  [/\bSA\b/g, ' sexual assault '],
];

/** Case-insensitive abbreviations and shorthand, applied to lower-case text in this order. */
const ABBREVIATIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bsi\s*\/\s*hi\b/g, ' suicidal ideation , homicidal ideation '],
  [/\bh\s*\/\s*o\b|\bhx\s+of\b|\bhx\b|\bpmhx?\b|\bpast medical history\b/g, ' history of '],
  [/\bfhx?\b/g, ' family history of '],
  [/\bc\s*\/\s*o\b/g, ' complains of '],
  [/\bs\s*\/\s*p\b/g, ' after '],
  [/\bw\s*\/\s*o\b/g, ' without '],
  [/\bw\s*\/(?=\s|\w)/g, ' with '],
  [/\bn\s*[/&+]\s*v\s*[/&+]\s*d\b/g, ' nausea and vomiting and diarrhoea '],
  [/\bn\s*[/&+]\s*v\b/g, ' nausea and vomiting '],
  [/\b(?:v\s*[/&+]\s*d|d\s*[/&+]\s*v|d\s+and\s+v)\b/g, ' vomiting and diarrhoea '],
  [/\bh\s*\/\s*a\b/g, ' headache '],
  [/\bcp\b/g, ' chest pain '],
  [/\bsobo?e?\b/g, ' shortness of breath '],
  [/\bdib\b/g, ' difficulty breathing '],
  [/\babdo?m?\b/g, ' abdominal '],
  [/\b(?:r|l)lq\b/g, ' lower quadrant abdominal '],
  [/\b(?:r|l)uq\b/g, ' upper quadrant abdominal '],
  [/\b(?:r|l)if\b/g, ' iliac fossa '],
  [/\bloc\b/g, ' loss of consciousness '],
  [/\bams\b|\bacms\b/g, ' altered mental status '],
  [/\bpv\b/g, ' vaginal '],
  [/\bpr\s+(?=bleed|blood)/g, ' rectal '],
  [/\bbrbpr\b/g, ' bright red blood per rectum '],
  [/\bugib\b|\blgib\b/g, ' gi bleeding '],
  [/\bcva\b/g, ' stroke '],
  [/\btia\b/g, ' transient ischaemic attack '],
  [/\bn?stemi\b|\bacs\b/g, ' heart attack '],
  [/\bmi\b/g, ' myocardial infarction '],
  [/\bha\b/g, ' headache '],
  [/\bsz\b/g, ' seizure '],
  [/\bod\b|\bo\s*\/\s*d\b/g, ' overdose '],
  [/\b(?:mvc|mva|rta|rtc|mvca)\b/g, ' motor vehicle crash '],
  [/\bgsw\b/g, ' gunshot wound '],
  [/\betoh\b/g, ' alcohol '],
  [/\b(?:ivdu|ivda|pwid)\b/g, ' injects drugs '],
  [/\b(?:upt|b-?hcg|hcg)\b/g, ' pregnancy test '],
  [/\bpreg(?:o|gers)?\b/g, ' pregnancy '],
  [/\blmp\b/g, ' last period '],
  [/\bchemo\b|\bkemo\b/g, ' chemotherapy '],
  [/\bbatts?\b/g, ' battery '],
  [/\bhd\b/g, ' haemodialysis '],
  // "?#" and "# wrist": the hash sign is clinical shorthand for a fracture.
  [/#/g, ' fracture '],
  [/\bvoc\b/g, ' vaso occlusive crisis '],
  [/\bscd\b|\bhbss\b/g, ' sickle cell disease '],
  [/\bfb\b/g, ' foreign body '],
  [/\bsx\b/g, ' symptoms '],
  [/\b(?:rt|r)\b(?=\s+[a-z])/g, ' right '],
  [/\b(?:lt|l)\b(?=\s+[a-z])/g, ' left '],
  [/\bpt\b/g, ' patient '],
  [/\bbiba?\b/g, ' brought in '],
  [/\btemp\b/g, ' temperature '],
  // "?torsion", "? ectopic": a question mark before a term means the nurse suspects it.
  [/(^|\s)\?\s*(?=[a-z])/g, '$1 possible '],
  [/\+\s*ve\b|\bpos\b/g, ' positive '],
  [/-\s*ve\b|\bneg\b/g, ' negative '],
];

/** A stated temperature of 38 °C or more (or 100.4 °F or more) is a fever. */
const FEVER_NUMBER =
  /\b(?:temperature|temp|t)\s*(?:of|was|is|=|:)?\s*(?:(?:3[89]|4[0-2])(?:[.,]\d)?\s*(?:°\s*c|c\b|celsius)?|(?:10[0-6](?:\.\d)?)\s*(?:°\s*f|f\b|fahrenheit))/g;

/** Lay contractions and the way people say "cannot". */
const PHRASES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:can'?t|cannot|can not|could ?n'?t|couldnt|unable to|not able to)\b/g, ' cannot '],
  [/\b(?:won'?t|wont)\b/g, ' will not '],
  [
    /\b(?:doesn'?t|doesnt|does not|don'?t|dont|do not|didn'?t|didnt|did not|isn'?t|is not|wasn'?t|was not)\b/g,
    ' not ',
  ],
  [/\bthrow(?:ing|n|s)? up\b|\bthrew up\b|\bpuk(?:ing|ed|e)\b|\bbeing sick\b/g, ' vomiting '],
  [/\bpassed out\b|\bblacked out\b|\bknocked out\b/g, ' loss of consciousness '],
  [/\bhead ?ache\b/g, ' headache '],
  [/\bstomach ?ache\b|\btummy ?ache\b|\bbelly ?ache\b/g, ' abdominal pain '],
  [/\bstomache\b|\bstomac\b|\bstomch\b/g, ' abdominal '],
  [/\b(?:stomach|tummy|belly)\b/g, ' abdominal '],
  [/\bover dose\b/g, ' overdose '],
];

/** Common misspellings of the words concepts use (the matcher also tolerates one typo in long words). */
const MISSPELLINGS: Readonly<Record<string, string>> = {
  siezure: 'seizure',
  siezures: 'seizures',
  seisure: 'seizure',
  ceizure: 'seizure',
  seizer: 'seizure',
  sezure: 'seizure',
  seazure: 'seizure',
  strock: 'stroke',
  strok: 'stroke',
  storke: 'stroke',
  pian: 'pain',
  pani: 'pain',
  chset: 'chest',
  cheast: 'chest',
  brethe: 'breathe',
  breth: 'breath',
  headach: 'headache',
  hedache: 'headache',
  sucidal: 'suicidal',
  suicdal: 'suicidal',
  suicidle: 'suicidal',
  testical: 'testicle',
  testicals: 'testicles',
  testicel: 'testicle',
  pregant: 'pregnant',
  pregnent: 'pregnant',
  preganant: 'pregnant',
  diarrhea: 'diarrhoea',
  diarhea: 'diarrhoea',
  diarrea: 'diarrhoea',
  diarhoea: 'diarrhoea',
  vomitting: 'vomiting',
  vommiting: 'vomiting',
  vomting: 'vomiting',
  unconcious: 'unconscious',
  unconsious: 'unconscious',
  confussed: 'confused',
  confued: 'confused',
  batery: 'battery',
  battary: 'battery',
  batteris: 'batteries',
  swalowed: 'swallowed',
  swallowd: 'swallowed',
  bleding: 'bleeding',
  bleeeding: 'bleeding',
  slured: 'slurred',
  numbess: 'numbness',
  weekness: 'weakness',
  hematemesis: 'haematemesis',
  melena: 'melaena',
  hemorrhage: 'haemorrhage',
  ischemic: 'ischaemic',
  ischemia: 'ischaemia',
  torsian: 'torsion',
  feaver: 'fever',
  fevor: 'fever',
  anaphalaxis: 'anaphylaxis',
  anaphylaxsis: 'anaphylaxis',
  abdominial: 'abdominal',
  abdomnal: 'abdominal',
  abdominl: 'abdominal',
  abdomenal: 'abdominal',
  colicy: 'colicky',
  dialisys: 'dialysis',
  dialisis: 'dialysis',
};

/** Lower-case words of a complaint, abbreviations spelled out and known misspellings corrected. */
export function normaliseComplaint(text: string): string {
  let t = ` ${text} `;
  for (const [re, to] of CASED) t = t.replace(re, to);
  // Possessives carry no meaning for the concepts: "mum's tablets" is "mum tablets".
  t = t
    .toLowerCase()
    .replace(/[‘’]/g, "'")
    .replace(/(\w)'s\b/g, '$1');
  t = t.replace(FEVER_NUMBER, ' fever ');
  for (const [re, to] of ABBREVIATIONS) t = t.replace(re, to);
  for (const [re, to] of PHRASES) t = t.replace(re, to);
  // Hyphens join words ("self-harm", "one-sided"); other punctuation separates clauses and is kept as a token.
  t = t
    .replace(/(\w)-(\w)/g, '$1 $2')
    .replace(/(?<!\d)([.,])|([.,])(?!\d)/g, ' $1$2 ')
    .replace(/([;:!?()/])/g, ' $1 ');
  return t
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => MISSPELLINGS[w] ?? w)
    .join(' ');
}
