// Where the EHR's token may go: one comparison of a URL with a FHIR base, used both for the
// FHIR_SERVERS_ALLOWED allowlist (a hook's fhirServer) and for paging (a Bundle's next links).

function parseUrl(url: string, base?: URL): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

/**
 * Whether `url` is `base` or lies below it: the same origin (scheme, host and port, compared parsed,
 * so `ehr.example.org.evil.net` and `:8443` differ) and the same path or a path below it on a segment
 * boundary (`/r4` admits `/r4/x`, never `/r4-admin`). Credentials in the URL are refused outright.
 */
export function isUnderBase(url: URL, base: URL): boolean {
  if (url.username || url.password || url.origin !== base.origin) return false;
  const basePath = base.pathname.replace(/\/+$/, '');
  const path = url.pathname.replace(/\/+$/, '');
  return path === basePath || path.startsWith(`${basePath}/`);
}

/** Whether a (possibly relative) link found in a response from `base` stays under `base`. */
export function linkUnderBase(link: string, base: string): boolean {
  const b = parseUrl(base);
  const u = b && parseUrl(link, b);
  return Boolean(b && u && isUnderBase(u, b));
}

/** FHIR_SERVERS_ALLOWED, parsed once at start. */
export class FhirServerAllowlist {
  readonly #bases: URL[];

  constructor(entries: readonly string[]) {
    this.#bases = entries.flatMap((entry) => parseUrl(entry) ?? []);
  }

  /** Whether a hook's `fhirServer` is one of the allowed bases or below one (no query, no fragment). */
  allows(fhirServer: string): boolean {
    const url = parseUrl(fhirServer);
    if (!url || url.search || url.hash) return false;
    return this.#bases.some((base) => isUnderBase(url, base));
  }
}
