// Access tokens never belong in the audit trail. The pipeline should not pass them, but a record
// carries free-form parts (scores, parsed model output, cards, error texts), so every write is
// scrubbed here. The copy is also made safe to hash: toJSON objects are serialized first, NaN and
// Infinity become null (and are reported), and a `__proto__` key stays a plain own key.

/**
 * Keys whose values are credentials, matched on the key without case, `_` and `-`. `…token` only at
 * the end, so token counts (`promptTokens`, `maxTokens`) and `token_type` are kept.
 */
const SECRET_KEY = /token$|password|passwd|secret|apikey|cookie|authorization|privatekey|credential/;

// Real tokens are long; the length floor keeps prose like "bearer of bad news" intact.
const BEARER = /\b(bearer)\s+[A-Za-z0-9\-._~+/]{16,}=*/gi;
// Three base64url segments starting like a JSON header: a JWT pasted into text.
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
// Credentials in URL query strings or form bodies quoted in error texts.
const SECRET_PARAM =
  /\b(access_token|refresh_token|id_token|client_secret|client_assertion|password|api_key|apikey)=[^&\s#"'<>]+/gi;
// `code` and `state` are only secrets as OAuth query parameters; elsewhere "code=" is clinical text.
const OAUTH_PARAM = /([?&])(code|state)=[^&\s#"'<>]+/gi;
// Cheap pre-check: most strings hold none of the patterns, and skipping the regexes keeps writes fast.
const MAYBE_SECRET = /bearer|eyJ|=/i;

export const REDACTED = '[redacted]';

export interface ScrubResult<T> {
  value: T;
  /** JSON paths of removed or redacted parts, for tests and a warning count. */
  removed: string[];
  /** JSON paths of NaN/Infinity numbers that were written as null. */
  nonFinite: string[];
}

// Records repeat the same keys (`system`, `code`, `display`…): each is judged once. Capped, as keys
// can come from outside (a model's parsed output).
const KEY_VERDICTS = new Map<string, boolean>();

function isSecretKey(key: string): boolean {
  let secret = KEY_VERDICTS.get(key);
  if (secret === undefined) {
    secret = SECRET_KEY.test(key.toLowerCase().replace(/[_-]/g, ''));
    if (KEY_VERDICTS.size < 10_000) KEY_VERDICTS.set(key, secret);
  }
  return secret;
}

function scrubString(v: string): string {
  if (!MAYBE_SECRET.test(v)) return v;
  return v
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(SECRET_PARAM, `$1=${REDACTED}`)
    .replace(OAUTH_PARAM, `$1$2=${REDACTED}`);
}

/** `$.a[0].b` from the keys and indexes walked: built only when something is reported. */
function pathOf(steps: Array<string | number>): string {
  let path = '$';
  for (const step of steps) path += typeof step === 'number' ? `[${step}]` : `.${step}`;
  return path;
}

/** Returns a deep, JSON-safe copy without credential fields and with tokens in strings redacted. */
export function scrubSecrets<T>(value: T): ScrubResult<T> {
  const removed: string[] = [];
  const nonFinite: string[] = [];
  // The path to the value being walked. Every audit write walks a whole record, and almost nothing
  // in it is reported, so a path string is made only for what is.
  const steps: Array<string | number> = [];
  const walk = (v: unknown, serialized = false): unknown => {
    if (typeof v === 'string') {
      const cleaned = scrubString(v);
      if (cleaned !== v) removed.push(pathOf(steps));
      return cleaned;
    }
    if (typeof v === 'number') {
      if (Number.isFinite(v)) return v;
      nonFinite.push(pathOf(steps));
      return null;
    }
    if (Array.isArray(v)) {
      const out = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) continue; // a hole stays a hole, as Array.map leaves it
        steps.push(i);
        out[i] = walk(v[i]);
        steps.pop();
      }
      return out;
    }
    if (v !== null && typeof v === 'object') {
      // What JSON (and canonicalJson) would write is what must be scrubbed: call toJSON once, as
      // JSON.stringify does, and walk its result.
      if (!serialized && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
        return walk((v as { toJSON: () => unknown }).toJSON(), true);
      }
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) {
        if (isSecretKey(k)) {
          removed.push(`${pathOf(steps)}.${k}`);
          continue;
        }
        steps.push(k);
        const cleaned = walk(item);
        steps.pop();
        // Assigning out['__proto__'] would set the prototype and drop the key; define it instead.
        if (k === '__proto__') {
          Object.defineProperty(out, k, {
            value: cleaned,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          out[k] = cleaned;
        }
      }
      return out;
    }
    return v;
  };
  return { value: walk(value) as T, removed, nonFinite };
}
