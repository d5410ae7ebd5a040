// Access tokens never belong in the audit trail. The pipeline should not pass them, but a record
// carries free-form parts (scores, parsed model output, cards), so every write is scrubbed here.

/** Keys whose values are credentials (compared without case, `_` and `-`). */
const SECRET_KEYS = new Set([
  'accesstoken',
  'authorization',
  'fhirauthorization',
  'refreshtoken',
  'idtoken',
  'clientsecret',
]);

// Real tokens are long; the length floor keeps prose like "bearer of bad news" intact.
const BEARER = /\b[Bb]earer\s+[A-Za-z0-9\-._~+/]{16,}=*/g;
// Three base64url segments starting like a JSON header: a JWT pasted into text.
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

export const REDACTED = '[redacted]';

export interface ScrubResult<T> {
  value: T;
  /** JSON paths of removed or redacted parts, for tests and a warning count. */
  removed: string[];
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase().replace(/[_-]/g, ''));
}

/** Returns a deep copy without credential fields and with bearer tokens in strings redacted. */
export function scrubSecrets<T>(value: T): ScrubResult<T> {
  const removed: string[] = [];
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') {
      // Most strings hold neither pattern; skipping the regexes keeps the write path cheap.
      if (!v.includes('earer') && !v.includes('eyJ')) return v;
      const cleaned = v.replace(BEARER, `Bearer ${REDACTED}`).replace(JWT, REDACTED);
      if (cleaned !== v) removed.push(path);
      return cleaned;
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${path}[${i}]`));
    if (v !== null && typeof v === 'object') {
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return v;
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) {
        if (isSecretKey(k)) {
          removed.push(`${path}.${k}`);
          continue;
        }
        out[k] = walk(item, `${path}.${k}`);
      }
      return out;
    }
    return v;
  };
  return { value: walk(value, '$') as T, removed };
}
