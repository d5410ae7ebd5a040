// SMART discovery: the well-known file first, then the CapabilityStatement's oauth-uris extension
// (older servers). Only the fields we use are parsed; the rest of the document is ignored.
import { z } from 'zod';

/** The CapabilityStatement extension that carries OAuth endpoints for servers without the well-known file. */
export const SMART_OAUTH_URIS_EXTENSION =
  'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris' as const;

export interface SmartServerInfo {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  capabilities: string[];
  scopesSupported?: string[];
  codeChallengeMethods?: string[];
  tokenAuthMethods?: string[];
  /** The authorization server's issuer identifier (OpenID / RFC 8414), when published. */
  issuer?: string;
  jwksUri?: string;
  /** RFC 9207: the server adds `iss` to its authorization responses. */
  issParameterSupported: boolean;
  source: 'well-known' | 'metadata';
}

/** Finds the authorization server of a FHIR base URL; the plugin passes a cached one. */
export type Discover = (iss: string, timeoutMs: number) => Promise<SmartServerInfo>;

export class DiscoveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiscoveryError';
  }
}

const httpUrl = z.url({ protocol: /^https?$/ });

const wellKnownSchema = z.object({
  authorization_endpoint: httpUrl,
  token_endpoint: httpUrl,
  capabilities: z.array(z.string()).default([]),
  scopes_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
  issuer: z.string().min(1).optional(),
  jwks_uri: httpUrl.optional(),
  authorization_response_iss_parameter_supported: z.boolean().optional(),
});

const extensionSchema: z.ZodType<{ url: string; valueUri?: string; extension?: unknown[] }> = z.looseObject({
  url: z.string(),
  valueUri: z.string().optional(),
  extension: z.array(z.unknown()).optional(),
});

const capabilitySchema = z.looseObject({
  resourceType: z.literal('CapabilityStatement'),
  rest: z
    .array(
      z.looseObject({
        security: z.looseObject({ extension: z.array(extensionSchema).optional() }).optional(),
      }),
    )
    .default([]),
});

async function getJson(url: string, timeoutMs: number): Promise<unknown | undefined> {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { Accept: 'application/json, application/fhir+json' },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch {
    return undefined;
  }
  if (!res.ok) return undefined;
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}

function fromCapabilityStatement(doc: unknown): SmartServerInfo | undefined {
  const parsed = capabilitySchema.safeParse(doc);
  if (!parsed.success) return undefined;
  for (const rest of parsed.data.rest) {
    const oauth = rest.security?.extension?.find((e) => e.url === SMART_OAUTH_URIS_EXTENSION);
    const inner = z.array(extensionSchema).safeParse(oauth?.extension ?? []);
    if (!inner.success) continue;
    const uri = (name: string) => inner.data.find((e) => e.url === name)?.valueUri;
    const authorize = httpUrl.safeParse(uri('authorize'));
    const token = httpUrl.safeParse(uri('token'));
    if (authorize.success && token.success) {
      return {
        authorizationEndpoint: authorize.data,
        tokenEndpoint: token.data,
        capabilities: [],
        issParameterSupported: false,
        source: 'metadata',
      };
    }
  }
  return undefined;
}

/** Finds the authorization server of a FHIR base URL (already checked against the allowlist). */
export async function discoverSmartServer(iss: string, timeoutMs: number): Promise<SmartServerInfo> {
  const wellKnown = wellKnownSchema.safeParse(
    await getJson(`${iss}/.well-known/smart-configuration`, timeoutMs),
  );
  if (wellKnown.success) {
    const w = wellKnown.data;
    return {
      authorizationEndpoint: w.authorization_endpoint,
      tokenEndpoint: w.token_endpoint,
      capabilities: w.capabilities,
      scopesSupported: w.scopes_supported,
      codeChallengeMethods: w.code_challenge_methods_supported,
      tokenAuthMethods: w.token_endpoint_auth_methods_supported,
      issuer: w.issuer,
      jwksUri: w.jwks_uri,
      issParameterSupported: w.authorization_response_iss_parameter_supported === true,
      source: 'well-known',
    };
  }
  const fromMetadata = fromCapabilityStatement(await getJson(`${iss}/metadata`, timeoutMs));
  if (fromMetadata) return fromMetadata;
  throw new DiscoveryError(
    'The FHIR server does not publish SMART endpoints (no .well-known/smart-configuration and no oauth-uris in its CapabilityStatement).',
  );
}

/**
 * Mix-up hardening: a discovery document (fetched over a network we do not control) may only send
 * the code and verifier where they belong. Production needs https; the token endpoint must live on
 * the origin of the FHIR server or of the authorize endpoint.
 */
export function endpointProblem(iss: string, info: SmartServerInfo, production: boolean): string | null {
  const authorize = new URL(info.authorizationEndpoint);
  const token = new URL(info.tokenEndpoint);
  if (production && (authorize.protocol !== 'https:' || token.protocol !== 'https:')) {
    return 'The FHIR server advertises sign-in endpoints without https.';
  }
  if (token.origin !== new URL(iss).origin && token.origin !== authorize.origin) {
    return 'The FHIR server advertises a token endpoint on an unrelated host.';
  }
  return null;
}

export const DISCOVERY_CACHE_MS = 5 * 60 * 1000;

/** Discovery per issuer, kept for five minutes so every launch does not refetch it. Failures are not kept. */
export function cachedDiscovery(
  discover: Discover = discoverSmartServer,
  now: () => number = Date.now,
): Discover {
  const cache = new Map<string, { at: number; info: Promise<SmartServerInfo> }>();
  return (iss, timeoutMs) => {
    const hit = cache.get(iss);
    if (hit && now() - hit.at < DISCOVERY_CACHE_MS) return hit.info;
    const info = discover(iss, timeoutMs);
    cache.set(iss, { at: now(), info });
    info.catch(() => {
      if (cache.get(iss)?.info === info) cache.delete(iss);
    });
    return info;
  };
}
