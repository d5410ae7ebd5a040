// Free-text de-identification before anything reaches a model (HIPAA Safe Harbor identifiers).
// Pattern-based: the snapshot carries no names, so names are caught by their usual shapes
// (titles, "Name:" fields, Synthea's digit-suffixed names) plus any known terms the caller passes
// (e.g. from the Patient resource via `phiTermsFromResources`). Over-redaction is accepted; a
// missed identifier is not.
import type { Resource } from '@medplum/fhirtypes';

export const REDACTION = {
  name: '[name]',
  id: '[id]',
  ssn: '[ssn]',
  phone: '[phone]',
  email: '[email]',
  url: '[url]',
  date: '[date]',
  address: '[address]',
  zip: '[zip]',
  term: '[redacted]',
} as const;

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const STREET_SUFFIX =
  '(?:St(?:reet)?|Ave(?:nue)?|R(?:oa)?d|Blvd|Boulevard|L(?:a)?ne?|Dr(?:ive)?|C(?:our)?t|Way|Pl(?:ace)?|Terr?(?:ace)?|Pkwy|Parkway|Hwy|Highway|Cir(?:cle)?|Sq(?:uare)?|Trail|Trl)';
const TITLE = '(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sr|Sra|Rev)\\.?';
const CAP_WORD = "[A-Z][a-zA-Z'\\-]+\\d*";

type Rule = readonly [RegExp, string];

// Order matters: structured identifiers first, so their digits are not half-eaten by the
// generic number rules further down.
const RULES: readonly Rule[] = [
  [/\b(?:https?:\/\/|www\.)[^\s<>"')\]]+/gi, REDACTION.url],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, REDACTION.email],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, REDACTION.id],
  [/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, REDACTION.id],
  [/\b\d{3}-\d{2}-\d{4}\b/g, REDACTION.ssn],
  // Labelled fields: keep the label so the sentence still reads, drop the value.
  [
    /\b(MRN|MR#|medical record(?: number| no\.?)?|record no\.?|SSN|social security(?: number)?|account(?: number| no\.?)?|acct|member id|policy(?: number| no\.?)?|insurance id|licen[cs]e(?: number| no\.?)?|passport(?: number| no\.?)?|patient id|ID)\s*(?:#|no\.?|number)?\s*[:#]?\s*(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{3,}/gi,
    `$1 ${REDACTION.id}`,
  ],
  [
    /\b(name|patient name|pt name|contact|next of kin|emergency contact)\s*:\s*[^\n,;]+/gi,
    `$1: ${REDACTION.name}`,
  ],
  [/\b(address|addr|home)\s*:\s*[^\n;]+/gi, `$1: ${REDACTION.address}`],
  [
    /\b(phone|tel|telephone|mobile|cell|fax|pager)\s*(?:no\.?|number|#)?\s*[:#]?\s*\+?[\d(][\d\s().-]{6,}\d/gi,
    `$1 ${REDACTION.phone}`,
  ],
  // Dates in the common written forms (ISO, US, European, spelled months, compact).
  [/\b\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, REDACTION.date],
  [/\b\d{4}\/\d{1,2}\/\d{1,2}\b/g, REDACTION.date],
  [/\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b/g, REDACTION.date],
  [new RegExp(`\\b${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b`, 'gi'), REDACTION.date],
  [new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH},?\\s+\\d{4}\\b`, 'gi'), REDACTION.date],
  [new RegExp(`\\b${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?\\b`, 'g'), REDACTION.date],
  [new RegExp(`\\b${MONTH}\\s+\\d{4}\\b`, 'gi'), REDACTION.date],
  [/\b(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\b/g, REDACTION.date],
  [
    /\b(DOB|D\.O\.B\.|date of birth|born(?: on)?|birth ?date)\s*[:-]?\s*\d[\d/.-]*\d/gi,
    `$1 ${REDACTION.date}`,
  ],
  // Phones: North American and international shapes.
  [/(?:\+?\d{1,3}[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b/g, REDACTION.phone],
  [/\(\d{3}\)\s*\d{3}[\s.-]?\d{4}\b/g, REDACTION.phone],
  [/\+\d{1,3}(?:[\s.-]?\d{2,4}){2,5}\b/g, REDACTION.phone],
  // Street addresses, then "City, ST 12345".
  [
    new RegExp(
      `\\b\\d{1,6}[A-Z]?\\s+(?:[NSEW]\\.?\\s+)?(?:${CAP_WORD}\\s+){0,4}${STREET_SUFFIX}\\b\\.?(?:\\s*(?:,\\s*)?(?:Apt|Apartment|Suite|Ste|Unit|#)\\.?\\s*[\\w-]+)?`,
      'g',
    ),
    REDACTION.address,
  ],
  [/\b(?:P\.?\s?O\.?\s+Box|Post Office Box)\s+\d+\b/gi, REDACTION.address],
  [
    new RegExp(`\\b(?:${CAP_WORD}\\s+){0,3}${CAP_WORD},?\\s+[A-Z]{2}\\s+\\d{5}(?:-\\d{4})?\\b`, 'g'),
    REDACTION.address,
  ],
  [/\b(zip|zip code|postal code|postcode)\s*[:#]?\s*\d{5}(?:-\d{4})?\b/gi, `$1 ${REDACTION.zip}`],
  [/\b\d{5}-\d{4}\b/g, REDACTION.zip],
  // Bare 5-digit numbers are zip-like unless a unit follows (doses such as "10000 units").
  [/\b\d{5}\b(?!\s*(?:mg|mcg|g|ml|mL|l|units?|u|iu|IU|\/|%|mmol|meq|mEq|cells|k\b))/g, REDACTION.zip],
  // Ages over 89 are identifiers too: written ages collapse to 90+.
  [/\b(?:9\d|1[0-2]\d)(?=\s*-?\s*(?:years?|yrs?|y\/o|yo)\b)/gi, '90+'],
  [/\b(aged?|age:)\s*(?:9\d|1[0-2]\d)\b/gi, '$1 90+'],
  // Long digit runs and letter+digit codes look like record, account or device numbers.
  [/\b\d{6,}\b/g, REDACTION.id],
  [/\b(?=[A-Z0-9-]*\d{4,})(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{5,}\b/g, REDACTION.id],
  // Names: titles + capitalised words, "named X", Synthea's "Jacinto644 Kris249".
  [new RegExp(`\\b${TITLE}\\s+(?:${CAP_WORD}\\.?\\s+){0,2}${CAP_WORD}`, 'g'), REDACTION.name],
  [
    new RegExp(
      `\\b(named|called|signed by|seen by|spoke with|wife|husband|son|daughter|mother|father)\\s+(?:${CAP_WORD}\\s+){0,2}${CAP_WORD}`,
      'g',
    ),
    `$1 ${REDACTION.name}`,
  ],
  [/\b[A-Z][a-z'-]+\d{2,}\b(?:\s+[A-Z][a-z'-]+\d{2,}\b)*/g, REDACTION.name],
];

export interface RedactOptions {
  /** Known identifying strings (names, MRNs, …) to remove wherever they appear, case-insensitively. */
  terms?: readonly string[];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function redactText(text: string, options: RedactOptions = {}): string {
  let out = text;
  const terms = [...new Set((options.terms ?? []).map((t) => t.trim()).filter((t) => t.length >= 3))].sort(
    (a, b) => b.length - a.length,
  );
  for (const term of terms) {
    out = out.replace(new RegExp(`(?<![\\w])${escapeRegExp(term)}(?![\\w])`, 'gi'), REDACTION.term);
  }
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Identifying strings from Patient/RelatedPerson/Practitioner resources, for `redactText`'s terms.
 * Includes the birth date in the forms people write it.
 */
export function phiTermsFromResources(resources: readonly Resource[]): string[] {
  const terms: string[] = [];
  for (const r of resources) {
    if (
      r.resourceType !== 'Patient' &&
      r.resourceType !== 'RelatedPerson' &&
      r.resourceType !== 'Practitioner'
    ) {
      continue;
    }
    for (const n of r.name ?? []) {
      for (const part of [...(n.given ?? []), n.family ?? '', n.text ?? '']) {
        if (part) terms.push(part, part.replace(/\d+$/, ''));
      }
    }
    for (const id of r.identifier ?? []) if (id.value) terms.push(id.value);
    for (const t of r.telecom ?? []) if (t.value) terms.push(t.value);
    for (const a of r.address ?? []) {
      for (const v of [...(a.line ?? []), a.city ?? '', a.postalCode ?? '', a.text ?? ''])
        if (v) terms.push(v);
    }
    if ('birthDate' in r && r.birthDate) terms.push(...dateForms(r.birthDate));
  }
  return [...new Set(terms.filter((t) => t.trim().length >= 3))];
}

/** A date in the written forms people use (ISO, US, European, spelled month). */
export function dateForms(isoDate: string): string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return [isoDate];
  const [, y, mo, d] = m;
  const month = new Date(Date.UTC(Number(y), Number(mo) - 1, 1)).toLocaleString('en-US', {
    month: 'long',
    timeZone: 'UTC',
  });
  const dn = String(Number(d));
  const mn = String(Number(mo));
  return [
    `${y}-${mo}-${d}`,
    `${mo}/${d}/${y}`,
    `${mn}/${dn}/${y}`,
    `${d}/${mo}/${y}`,
    `${d}.${mo}.${y}`,
    `${y}${mo}${d}`,
    `${month} ${dn}, ${y}`,
    `${dn} ${month} ${y}`,
    `${month.slice(0, 3)} ${dn}, ${y}`,
  ];
}
