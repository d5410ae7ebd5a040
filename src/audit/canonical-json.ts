// Canonical JSON in the spirit of RFC 8785 (JCS): object keys sorted by UTF-16 code units, no
// whitespace, numbers in ECMAScript shortest form, strings escaped as JSON.stringify does. The
// audit hash chain hashes this text, so the same entry always yields the same bytes.
// Every hook call writes a record through here, so it builds one string by appending (no arrays
// of parts to join) and quotes each distinct key once.

class CanonicalJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanonicalJsonError';
  }
}

export function canonicalJson(value: unknown): string {
  const out = serialize(value, new Set());
  if (out === undefined) throw new CanonicalJsonError('top-level value is not representable in JSON');
  return out;
}

// Object keys repeat across records (`system`, `code`, `display`…): their quoted form is kept.
const QUOTED_KEYS = new Map<string, string>();
const MAX_QUOTED_KEYS = 10_000;

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    // Keys can come from outside (a model's parsed output): the memo is capped, not unbounded.
    if (QUOTED_KEYS.size < MAX_QUOTED_KEYS) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}

function serialize(value: unknown, seen: Set<object>): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`number ${value} is not valid JSON`);
      // ECMAScript Number-to-string is what JCS prescribes; -0 serializes as 0.
      return JSON.stringify(value);
    case 'bigint':
      throw new CanonicalJsonError('bigint is not valid JSON');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  const obj = value as object;
  const withToJson = obj as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return serialize(withToJson.toJSON(), seen);
  if (seen.has(obj)) throw new CanonicalJsonError('cyclic structure');
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      let out = '[';
      for (let i = 0; i < obj.length; i++) {
        if (i > 0) out += ',';
        out += serialize(obj[i], seen) ?? 'null';
      }
      return `${out}]`;
    }
    const record = obj as Record<string, unknown>;
    // Default sort compares UTF-16 code units, exactly the order JCS requires.
    const keys = Object.keys(record).sort();
    let out = '{';
    for (const key of keys) {
      const v = serialize(record[key], seen);
      if (v === undefined) continue;
      if (out.length > 1) out += ',';
      out += quotedKey(key) + v;
    }
    return `${out}}`;
  } finally {
    seen.delete(obj);
  }
}
