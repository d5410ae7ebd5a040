// Canonical JSON in the spirit of RFC 8785 (JCS): object keys sorted by UTF-16 code units, no
// whitespace, numbers in ECMAScript shortest form, strings escaped as JSON.stringify does. The
// audit hash chain hashes this text, so the same entry always yields the same bytes.

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
      return `[${obj.map((item) => serialize(item, seen) ?? 'null').join(',')}]`;
    }
    const record = obj as Record<string, unknown>;
    // Default sort compares UTF-16 code units, exactly the order JCS requires.
    const keys = Object.keys(record).sort();
    const parts: string[] = [];
    for (const key of keys) {
      const v = serialize(record[key], seen);
      if (v !== undefined) parts.push(`${JSON.stringify(key)}:${v}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(obj);
  }
}
