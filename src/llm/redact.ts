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
// Month names in any case, except a lower-case "may" (the verb: "pain may 2x…" is not a date).
const ANY_CASE_MONTH =
  '(?:(?:[Jj][Aa][Nn](?:[Uu][Aa][Rr][Yy])?|[Ff][Ee][Bb](?:[Rr][Uu][Aa][Rr][Yy])?|[Mm][Aa][Rr](?:[Cc][Hh])?|[Aa][Pp][Rr](?:[Ii][Ll])?|M[Aa][Yy]|[Jj][Uu][Nn][Ee]?|[Jj][Uu][Ll][Yy]?|[Aa][Uu][Gg](?:[Uu][Ss][Tt])?|[Ss][Ee][Pp](?:[Tt](?:[Ee][Mm][Bb][Ee][Rr])?)?|[Oo][Cc][Tt](?:[Oo][Bb][Ee][Rr])?|[Nn][Oo][Vv](?:[Ee][Mm][Bb][Ee][Rr])?|[Dd][Ee][Cc](?:[Ee][Mm][Bb][Ee][Rr])?)\\b)';
const ORDINAL = '(?:st|nd|rd|th)';
// Words before a fraction that make it a score, not a month/day ("pain 8/10", "power 4/5").
const SCORE_CONTEXT =
  '(?<!(?:pain|score|scale|rated|rating|GCS|VAS|NRS|power|strength|MRC|reflexes|murmur|grade)\\s*(?:score|scale)?\\s*(?:of|is|was|at|now|:|=)?\\s*)';
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
  [/\b\d{3}[ .]\d{2}[ .]\d{4}\b/g, REDACTION.ssn],
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
  [/\b\d{4}-\d{1,2}-\d{1,2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, REDACTION.date],
  [/\b\d{4}\/\d{1,2}\/\d{1,2}\b/g, REDACTION.date],
  [/\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b/g, REDACTION.date],
  [new RegExp(`\\b${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b`, 'gi'), REDACTION.date],
  [new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH},?\\s+\\d{4}\\b`, 'gi'), REDACTION.date],
  [new RegExp(`\\b${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?\\b`, 'g'), REDACTION.date],
  [new RegExp(`\\b${MONTH}\\s+\\d{4}\\b`, 'gi'), REDACTION.date],
  // Month and day without a year: "15 March", "3rd of June", "5th Nov", "november 5".
  [new RegExp(`\\b\\d{1,2}${ORDINAL}?\\s+(?:of\\s+)?${ANY_CASE_MONTH}`, 'g'), REDACTION.date],
  [new RegExp(`\\b${ANY_CASE_MONTH}\\.?\\s+(?:the\\s+)?\\d{1,2}${ORDINAL}?\\b`, 'g'), REDACTION.date],
  // Numeric month/day without a year ("03/15", "4/2"), unless it reads as a score or a fraction.
  [
    new RegExp(
      `${SCORE_CONTEXT}\\b(?:0?[1-9]|1[0-2])\\/(?:0?[1-9]|[12]\\d|3[01])\\b(?![/.]\\d)(?!\\s*(?:tabs?|tablets?|caps?(?:ules?)?|of\\b|NS\\b|normal|strength|power|pain|dose|doses|ml|mL|mg|units?))`,
      'gi',
    ),
    REDACTION.date,
  ],
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
  [/\b(?:9\d|1[0-2]\d)(?=\s*-?\s*(?:years?\b|yrs?\b|y\/o\b|yo\b|y\.\s?o\.?|y\s?o\b))/gi, '90+'],
  // "92F", "101 M": age and sex, unless a temperature ("T 101F", "fever 99F").
  [
    /(?<!(?:[Tt]|[Tt]emp\.?|[Tt]emperature|[Tt]max|[Ff]ever|[Ff]ebrile|[Pp]yrexi(?:a|al))\s*(?:of|is|was|to|:|=)?\s*)\b(?:9\d|1[0-2]\d)(?=\s?[FM]\b)/g,
    '90+',
  ],
  [/\b(?:nonagenarian|centenarian)\b/gi, '90+ y'],
  [
    /\b(aged?|age:)\s+(?:ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one hundred(?:[- ]\w+)?)\b/gi,
    '$1 90+',
  ],
  [/\b(aged?|age:)\s*(?:9\d|1[0-2]\d)\b(?!\+)/gi, '$1 90+'],
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
  const terms = [...new Set((options.terms ?? []).map((t) => t.trim()).filter((t) => t.length >= 2))].sort(
    (a, b) => b.length - a.length,
  );
  for (const term of terms) {
    // Two-letter name parts ("Jo", "Wu") would match ordinary lower-case words ("jo", "an"): they are
    // matched as written and in capitals only.
    const flags = term.length >= 3 ? 'gi' : 'g';
    const forms =
      term.length >= 3 ? escapeRegExp(term) : `(?:${escapeRegExp(term)}|${escapeRegExp(term.toUpperCase())})`;
    out = out.replace(new RegExp(`(?<![\\w])${forms}(?![\\w])`, flags), REDACTION.term);
  }
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}

type NameLike = { given?: string[]; family?: string; text?: string };
type AddressLike = { line?: string[]; city?: string; district?: string; postalCode?: string; text?: string };

function nameParts(n: NameLike): string[] {
  const out: string[] = [];
  for (const part of [...(n.given ?? []), n.family ?? '', n.text ?? '']) {
    if (part) out.push(part, part.replace(/\d+$/, ''));
  }
  return out;
}

function addressParts(a: AddressLike): string[] {
  return [...(a.line ?? []), a.city ?? '', a.district ?? '', a.postalCode ?? '', a.text ?? ''].filter(
    Boolean,
  );
}

/**
 * Identifying strings from Patient/RelatedPerson/Practitioner resources (and the Patient's
 * contacts), for `redactText`'s terms. Includes the birth date in the forms people write it.
 * Two-letter parts of the patient's own name are kept ("Jo Wu"); other terms need three letters.
 */
export function phiTermsFromResources(resources: readonly Resource[]): string[] {
  const terms: string[] = [];
  const shortNames: string[] = [];
  for (const r of resources) {
    if (
      r.resourceType !== 'Patient' &&
      r.resourceType !== 'RelatedPerson' &&
      r.resourceType !== 'Practitioner'
    ) {
      continue;
    }
    for (const n of r.name ?? []) {
      const parts = nameParts(n);
      terms.push(...parts);
      if (r.resourceType === 'Patient') {
        shortNames.push(...parts.flatMap((p) => p.split(/\s+/)).filter((p) => p.trim().length === 2));
      }
    }
    for (const id of r.identifier ?? []) if (id.value) terms.push(id.value);
    for (const t of r.telecom ?? []) if (t.value) terms.push(t.value);
    for (const a of r.address ?? []) terms.push(...addressParts(a));
    if ('birthDate' in r && r.birthDate) terms.push(...dateForms(r.birthDate));
    if (r.resourceType === 'Patient') {
      for (const c of r.contact ?? []) {
        if (c.name) terms.push(...nameParts(c.name));
        for (const t of c.telecom ?? []) if (t.value) terms.push(t.value);
        if (c.address) terms.push(...addressParts(c.address));
        if (c.organization?.display) terms.push(c.organization.display);
      }
    }
  }
  return [...new Set([...terms.filter((t) => t.trim().length >= 3), ...shortNames.map((t) => t.trim())])];
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
