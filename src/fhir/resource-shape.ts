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
  /** `_birthDate`: a primitive's element. */
  element: boolean;
  arrayField: boolean;
  arrayOrObject: boolean;
  stringField: boolean;
  stringList: boolean;
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
      element: key.startsWith('_'),
      arrayField: ARRAY_FIELDS.has(key),
      arrayOrObject: ARRAY_OR_OBJECT.has(key),
      stringField: STRING_FIELDS.has(key),
      stringList: STRING_LISTS.has(key),
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

/**
 * Where a check failed, relative to the value checked: '' is the value itself, `.code[2]` a part
 * of it. Paths are only built on the way out of a failure: a well-formed resource, the common
 * case, allocates no path strings at all.
 */
type Problem = string | undefined;

function checkQuantity(q: unknown): Problem {
  if (typeof q !== 'object' || q === null || Array.isArray(q)) return '';
  const v = (q as { value?: unknown }).value;
  if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) return '.value';
  for (const key of QUANTITY_STRINGS) {
    const x = (q as Record<string, unknown>)[key];
    if (x !== undefined && typeof x !== 'string') return `.${key}`;
  }
  return checkObject(q as Record<string, unknown>, false);
}

const QUANTITY_STRINGS = ['code', 'unit', 'system', 'comparator'] as const;

/** Each item of an array, its index put in front of a problem's path. */
function checkItems(key: string, kind: KeyKind, value: unknown[]): Problem {
  for (let i = 0; i < value.length; i++) {
    const problem = checkValue(key, kind, value[i]);
    if (problem !== undefined) return `[${i}]${problem}`;
  }
  return undefined;
}

function checkField(key: string, value: unknown, atRoot: boolean): Problem {
  if (value === null) return '';
  const kind = kindOf(key);
  // `_birthDate`, `_given`: a primitive's id and extensions, an element (a list of them, nulls kept in
  // step with the values).
  if (kind.element) return checkPrimitiveElements(value);
  // HumanName lists, except where a resource's name is one string (Organization, Location…);
  // an identifier is one object inside a Reference.
  if ((key === 'name' && typeof value === 'string') || (key === 'identifier' && !Array.isArray(value))) {
    return typeof value === 'string' || (typeof value === 'object' && !Array.isArray(value))
      ? checkValue(key, kind, value)
      : '';
  }
  if (kind.arrayOrObject && !atRoot && typeof value === 'object' && !Array.isArray(value)) {
    return checkObject(value as Record<string, unknown>, false);
  }
  if (kind.arrayField) return Array.isArray(value) ? checkItems(key, kind, value) : '';
  if (key === 'text') {
    // A resource's own `text` is a Narrative; everywhere else (CodeableConcept, Annotation) a string.
    if (atRoot) return typeof value === 'object' && !Array.isArray(value) ? undefined : '';
    return typeof value === 'string' ? undefined : '';
  }
  if (key === 'code') {
    // A code (Coding, Quantity) or a CodeableConcept (Observation.code, Condition.code…).
    if (typeof value === 'string') return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) return '';
    return checkObject(value as Record<string, unknown>, false);
  }
  // A `…Code` element is a code (valueCode) or a CodeableConcept, one or a list (vaccineCode, conclusionCode).
  if (kind.codeSuffix && typeof value === 'object') {
    return Array.isArray(value)
      ? checkItems(key, kind, value)
      : checkObject(value as Record<string, unknown>, false);
  }
  // Encounter.diagnosis.use is a CodeableConcept; elsewhere `use` is a code.
  if (key === 'use' && !atRoot && typeof value === 'object' && !Array.isArray(value))
    return checkObject(value as Record<string, unknown>, false);
  if (kind.stringSuffix && Array.isArray(value))
    return value.every((v) => typeof v === 'string') ? undefined : ''; // instantiatesCanonical
  if (kind.stringField || kind.stringSuffix) return typeof value === 'string' ? undefined : '';
  if (kind.numberSuffix) return typeof value === 'number' && Number.isFinite(value) ? undefined : '';
  if (kind.quantity) return checkQuantity(value);
  if (Array.isArray(value)) return checkItems(key, kind, value);
  if (typeof value === 'object') return checkObject(value as Record<string, unknown>, false);
  if (typeof value === 'number' && !Number.isFinite(value)) return '';
  return undefined;
}

function checkPrimitiveElements(value: unknown): Problem {
  if (!Array.isArray(value)) return checkElement(value);
  for (let i = 0; i < value.length; i++) {
    if (value[i] === null) continue;
    const problem = checkElement(value[i]);
    if (problem !== undefined) return `[${i}]${problem}`;
  }
  return undefined;
}

function checkElement(item: unknown): Problem {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return '';
  return checkObject(item as Record<string, unknown>, false);
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
function checkValue(key: string, kind: KeyKind, item: unknown): Problem {
  if (typeof item === 'string' && (key === 'category' || key === 'name')) return undefined;
  if (kind.stringList) return typeof item === 'string' ? undefined : '';
  if (!kind.arrayField && isPrimitive(item)) return undefined;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return '';
  return checkObject(item as Record<string, unknown>, false);
}

function checkObject(o: Record<string, unknown>, atRoot: boolean): Problem {
  for (const key in o) {
    if (!Object.hasOwn(o, key)) continue;
    const problem = checkField(key, o[key], atRoot);
    if (problem !== undefined) return `.${key}${problem}`;
  }
  return undefined;
}

/** The first field of `resource` whose JSON type cannot be what FHIR says it is, or undefined. */
export function malformedField(resource: Resource): string | undefined {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) return '(resource)';
  // Paths are relative (`.code.coding[0]`); a resource's own fields are named without the dot.
  return checkObject(resource as unknown as Record<string, unknown>, true)?.slice(1);
}
