// The token endpoint, as a public or confidential client. Tokens stay on the server: this module's
// results go into the server-side session only, never into a response body, log or cookie.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { z } from 'zod';
import type { ClientAuth } from './client-settings.ts';

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms; undefined when the server gave no expires_in. */
  expiresAt?: number;
  scope: string;
  idToken?: string;
}

export interface LaunchContext {
  patient?: string;
  encounter?: string;
  needPatientBanner: boolean;
}

export class TokenError extends Error {
  constructor(
    message: string,
    /** The OAuth error code (`invalid_grant`, …) when the server gave one. */
    public readonly oauthError?: string,
    public readonly status?: number,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

export interface TokenClientOptions {
  tokenEndpoint: string;
  clientId: string;
  clientAuth: ClientAuth;
  timeoutMs: number;
}

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'token_type must be Bearer'),
  scope: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  id_token: z.string().min(1).optional(),
  patient: z.string().min(1).optional(),
  encounter: z.string().min(1).optional(),
  need_patient_banner: z.boolean().optional(),
});

type TokenResponse = z.infer<typeof tokenResponseSchema>;

const errorSchema = z.looseObject({ error: z.string(), error_description: z.string().optional() });

/** Basic auth per RFC 6749 §2.3.1: both parts form-urlencoded before base64. */
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** A private_key_jwt assertion (SMART asymmetric client authentication). */
export async function clientAssertion(
  opts: { clientId: string; tokenEndpoint: string },
  auth: Extract<ClientAuth, { method: 'private_key_jwt' }>,
): Promise<string> {
  return (
    new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: auth.alg, typ: 'JWT', ...(auth.kid ? { kid: auth.kid } : {}) })
      .setIssuer(opts.clientId)
      .setSubject(opts.clientId)
      .setAudience(opts.tokenEndpoint)
      .setIssuedAt()
      // SMART caps the assertion's lifetime at five minutes; stay well inside it.
      .setExpirationTime('4m')
      .sign(auth.key)
  );
}

async function postToken(opts: TokenClientOptions, form: Record<string, string>): Promise<TokenResponse> {
  const body = new URLSearchParams(form);
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  const auth = opts.clientAuth;
  if (auth.method === 'none') body.set('client_id', opts.clientId);
  if (auth.method === 'client_secret_basic') headers.Authorization = basic(opts.clientId, auth.secret);
  if (auth.method === 'private_key_jwt') {
    body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    body.set('client_assertion', await clientAssertion(opts, auth));
  }
  let res: Response;
  try {
    res = await fetch(opts.tokenEndpoint, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(opts.timeoutMs),
      redirect: 'error',
    });
  } catch (err) {
    const timeout = (err as Error).name === 'TimeoutError';
    throw new TokenError(
      timeout
        ? 'The authorization server did not answer in time.'
        : 'The authorization server could not be reached.',
    );
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = errorSchema.safeParse(json);
    throw new TokenError(
      e.success
        ? `The authorization server refused the request: ${e.data.error}${e.data.error_description ? ` (${e.data.error_description})` : ''}`
        : `The authorization server refused the request (HTTP ${res.status}).`,
      e.success ? e.data.error : undefined,
      res.status,
    );
  }
  const parsed = tokenResponseSchema.safeParse(json);
  if (!parsed.success) throw new TokenError('The authorization server sent an unusable token response.');
  return parsed.data;
}

function toTokenSet(r: TokenResponse, requestedScope: string, now: number, previous?: TokenSet): TokenSet {
  return {
    accessToken: r.access_token,
    // A refresh response may omit the refresh token: the old one stays valid then.
    refreshToken: r.refresh_token ?? previous?.refreshToken,
    // Tokens may be opaque (Epic's are not JWTs): trust expires_in, never parse the token.
    expiresAt: r.expires_in ? now + r.expires_in * 1000 : undefined,
    scope: r.scope ?? requestedScope,
    idToken: r.id_token ?? previous?.idToken,
  };
}

export async function exchangeCode(
  opts: TokenClientOptions,
  input: { code: string; codeVerifier: string; redirectUri: string; requestedScope: string },
  now = Date.now(),
): Promise<{ tokens: TokenSet; context: LaunchContext }> {
  const r = await postToken(opts, {
    grant_type: 'authorization_code',
    code: input.code,
    redirect_uri: input.redirectUri,
    code_verifier: input.codeVerifier,
  });
  return {
    tokens: toTokenSet(r, input.requestedScope, now),
    context: {
      patient: r.patient,
      encounter: r.encounter,
      needPatientBanner: r.need_patient_banner ?? true,
    },
  };
}

export async function refreshTokens(
  opts: TokenClientOptions,
  current: TokenSet,
  now = Date.now(),
): Promise<TokenSet> {
  if (!current.refreshToken) throw new TokenError('No refresh token was granted.');
  const r = await postToken(opts, { grant_type: 'refresh_token', refresh_token: current.refreshToken });
  return toTokenSet(r, current.scope, now, current);
}
