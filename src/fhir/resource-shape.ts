// A structural check at the FHIR edge: every field CiteCare may read has the JSON type its FHIR
// name implies (a `coding` is an array of objects, a `display` a string, a Quantity's `value` a
// finite number…). A resource that breaks it is skipped with a note before it reaches the clinical
// snapshot, so a malformed resource can cost a fact, never the answer. It is not full FHIR
// validation: unknown fields and cardinality are left alone.
import type { Resource } from '@medplum/fhirtypes';

/** Fields that are FHIR primitives rendered as JSON strings wherever they appear. */
const STRING_FIELDS = new Set([
  'id',
  'resourceType',
  'status',
  'display',
  'system',
  'unit',
  'reference',
  'version',
  'gender',
  'family',
  'intent',
  'criticality',
  'div',
  'url',
  'fullUrl',
  'relation',
  'start',
  'end',
  'issued',
  'authoredOn',
  'recordedDate',
  'lastUpdated',
  'versionId',
  'dateAsserted',
  'date',
  'comparator',
  'use',
  'contentType',
]);

/** Fields that are arrays in FHIR R4 wherever they appear. */
const ARRAY_FIELDS = new Set([
  'coding',
  'category',
  'component',
  'reaction',
  'manifestation',
  'given',
  'identifier',
  'name',
  'extension',
  'modifierExtension',
  'entry',
  'link',
  'dosageInstruction',
  'doseAndRate',
  'note',
  'content',
  'interpretation',
  'referenceRange',
  'telecom',
  'address',
  'contained',
  'issue',
  'ingredient',
  'profile',
  'tag',
  'security',
  'reasonCode',
]);

/** Array fields that some nested R4 elements carry as one object (Claim.item.category, Patient.contact.name). */
const ARRAY_OR_OBJECT = new Set(['category', 'name', 'address']);

/** Lists of strings in FHIR R4 (HumanName.given/prefix/suffix, Address.line, meta.profile). */
const STRING_LISTS: ReadonlySet<string> = new Set(['given', 'prefix', 'suffix', 'line', 'profile']);

/** A primitive by its FHIR choice-type suffix (valueString, effectiveDateTime, onsetDate…). */
const STRING_SUFFIX =
  /(String|DateTime|Date|Instant|Time|Uri|Url|Canonical|Code|Id|Markdown|Oid|Uuid|Base64Binary)$/;
const NUMBER_SUFFIX = /(Integer|Decimal|PositiveInt|UnsignedInt)$/;

/** What a field's name alone says about it, worked out once per name (the hook checks every field of every resource). */
interface KeyKind {
  stringSuffix: boolean;
  numberSuffix: boolean;
  quantity: boolean;
  codeSuffix: boolean;
}
const KEY_KINDS = new Map<string, KeyKind>();
function kindOf(key: string): KeyKind {
  let kind = KEY_KINDS.get(key);
  if (!kind) {
    kind = {
      stringSuffix: STRING_SUFFIX.test(key),
      numberSuffix: NUMBER_SUFFIX.test(key),
      quantity: /Quantity$/.test(key) || key === 'low' || key === 'high',
      codeSuffix: key.endsWith('Code') && !STRING_FIELDS.has(key),
    };
    // Field names come from outside: cap the memo so a hostile resource cannot grow it without bound.
    if (KEY_KINDS.size < 5000) KEY_KINDS.set(key, kind);
  }
  return kind;
}

type Problem = string | undefined;

function checkQuantity(q: unknown, path: string): Problem {
  if (typeof q !== 'object' || q === null || Array.isArray(q)) return path;
  const v = (q as { value?: unknown }).value;
  if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) return `${path}.value`;
  for (const key of ['code', 'unit', 'system', 'comparator']) {
    const x = (q as Record<string, unknown>)[key];
    if (x !== undefined && typeof x !== 'string') return `${path}.${key}`;
  }
  return checkObject(q as Record<string, unknown>, path, false);
}

function checkField(key: string, value: unknown, path: string, atRoot: boolean): Problem {
  if (value === null) return path;
  // `_birthDate`, `_given`: a primitive's id and extensions, an element (a list of them, nulls kept in
  // step with the values).
  if (key.startsWith('_')) return checkPrimitiveElements(value, path);
  // HumanName lists, except where a resource's name is one string (Organization, Location…);
  // an identifier is one object inside a Reference.
  if ((key === 'name' && typeof value === 'string') || (key === 'identifier' && !Array.isArray(value))) {
    return typeof value === 'string' || (typeof value === 'object' && !Array.isArray(value))
      ? checkValue(key, value, path)
      : path;
  }
  if (ARRAY_OR_OBJECT.has(key) && !atRoot && typeof value === 'object' && !Array.isArray(value)) {
    return checkObject(value as Record<string, unknown>, path, false);
  }
  if (ARRAY_FIELDS.has(key)) {
    if (!Array.isArray(value)) return path;
    for (const [i, item] of value.entries()) {
      const problem = checkValue(key, item, `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (key === 'text') {
    // A resource's own `text` is a Narrative; everywhere else (CodeableConcept, Annotation) a string.
    if (atRoot) return typeof value === 'object' && !Array.isArray(value) ? undefined : path;
    return typeof value === 'string' ? undefined : path;
  }
  if (key === 'code') {
    // A code (Coding, Quantity) or a CodeableConcept (Observation.code, Condition.code…).
    if (typeof value === 'string') return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) return path;
    return checkObject(value as Record<string, unknown>, path, false);
  }
  // A `…Code` element is a code (valueCode) or a CodeableConcept, one or a list (vaccineCode, conclusionCode).
  const kind = kindOf(key);
  if (kind.codeSuffix && typeof value === 'object') return checkCodeableConcepts(key, value, path);
  // Encounter.diagnosis.use is a CodeableConcept; elsewhere `use` is a code.
  if (key === 'use' && !atRoot && typeof value === 'object' && !Array.isArray(value))
    return checkObject(value as Record<string, unknown>, path, false);
  if (kind.stringSuffix && Array.isArray(value))
    return value.every((v) => typeof v === 'string') ? undefined : path; // instantiatesCanonical
  if (STRING_FIELDS.has(key) || kind.stringSuffix) return typeof value === 'string' ? undefined : path;
  if (kind.numberSuffix) return typeof value === 'number' && Number.isFinite(value) ? undefined : path;
  if (kind.quantity) return checkQuantity(value, path);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = checkValue(key, item, `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (typeof value === 'object') return checkObject(value as Record<string, unknown>, path, false);
  if (typeof value === 'number' && !Number.isFinite(value)) return path;
  return undefined;
}

function checkCodeableConcepts(key: string, value: object, path: string): Problem {
  if (!Array.isArray(value)) return checkObject(value as Record<string, unknown>, path, false);
  for (const [i, item] of value.entries()) {
    const problem = checkValue(key, item, `${path}[${i}]`);
    if (problem) return problem;
  }
  return undefined;
}

function checkPrimitiveElements(value: unknown, path: string): Problem {
  const items = Array.isArray(value) ? value : [value];
  for (const [i, item] of items.entries()) {
    const at = Array.isArray(value) ? `${path}[${i}]` : path;
    if (item === null && Array.isArray(value)) continue;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return at;
    const problem = checkObject(item as Record<string, unknown>, at, false);
    if (problem) return problem;
  }
  return undefined;
}

function isPrimitive(item: unknown): boolean {
  return (
    typeof item === 'string' ||
    typeof item === 'boolean' ||
    (typeof item === 'number' && Number.isFinite(item))
  );
}

/**
 * An array item: the string lists hold strings (`given`, `line`); the known arrays of elements hold
 * objects; any other array may hold primitives (`diagnosisSequence`, `instantiatesUri`).
 */
function checkValue(key: string, item: unknown, path: string): Problem {
  if (typeof item === 'string' && (key === 'category' || key === 'name')) return undefined;
  if (STRING_LISTS.has(key)) return typeof item === 'string' ? undefined : path;
  if (!ARRAY_FIELDS.has(key) && isPrimitive(item)) return undefined;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return path;
  return checkObject(item as Record<string, unknown>, path, false);
}

function checkObject(o: Record<string, unknown>, path: string, atRoot: boolean): Problem {
  for (const key in o) {
    if (!Object.hasOwn(o, key)) continue;
    const problem = checkField(key, o[key], path ? `${path}.${key}` : key, atRoot);
    if (problem) return problem;
  }
  return undefined;
}

/** The first field of `resource` whose JSON type cannot be what FHIR says it is, or undefined. */
export function malformedField(resource: Resource): string | undefined {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) return '(resource)';
  return checkObject(resource as unknown as Record<string, unknown>, '', true);
}
