// A SMART authorization-server test double on 127.0.0.1: discovery document, an authorize endpoint
// that approves at once (redirecting back with code + state), and a token endpoint that checks PKCE,
// redirect_uri and client authentication (public, client_secret_basic or private_key_jwt), grants
// refresh tokens and lets tests make tokens expire or refreshes fail.
import { createHash, randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JSONWebKeySet, jwtVerify, SignJWT } from 'jose';

export type FakeClientAuth = 'none' | 'client_secret_basic' | 'private_key_jwt';

export interface FakeSmartServerOptions {
  clientId: string;
  clientAuth?: FakeClientAuth;
  clientSecret?: string;
  /** The client's public keys (private_key_jwt). */
  clientJwks?: JSONWebKeySet;
  /** What the token response carries as launch context. */
  context: { patient: string; encounter?: string; fhirUser?: string; needPatientBanner?: boolean };
  /** Seconds; may be changed later through `server.expiresIn`. */
  expiresIn?: number;
  capabilities?: string[];
  scopesSupported?: string[];
}

/** How the next id_tokens are made (tests break one property at a time). */
export interface IdTokenTweaks {
  /** Sign with a key that is not in the published JWKS. */
  foreignKey?: boolean;
  audience?: string;
  nonce?: string;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope: string;
  nonce?: string;
}

interface AccessRecord {
  expiresAt: number;
  scope: string;
  patient: string;
}

export interface FakeSmartServer {
  /** The server's own base URL (authorize and token live under it). */
  url: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** The discovery document a FHIR server double serves at .well-known/smart-configuration. */
  smartConfiguration(): Record<string, unknown>;
  /** The FHIR server this authorization server protects (checked against the `aud` parameter). */
  audience?: string;
  /** The launch context the next token responses carry (tests may change it). */
  context: FakeSmartServerOptions['context'];
  /** Launch id the EHR handed out; when set, authorize requires it. */
  expectedLaunch?: string;
  expiresIn: number;
  failRefresh: boolean;
  /** Milliseconds a refresh takes after the old refresh token was burned (widens race windows). */
  refreshDelayMs: number;
  grantRefreshToken: boolean;
  /** Merged into the discovery document (e.g. a token endpoint elsewhere, no jwks_uri). */
  configOverrides: Record<string, unknown>;
  /** RFC 9207: advertise authorization_response_iss_parameter_supported and send `iss` back. */
  issParameter: boolean;
  /** With issParameter: the `iss` value the callback carries (default: the issuer; null: none). */
  callbackIss?: string | null;
  idTokenTweaks: IdTokenTweaks;
  /** Discovery fetches served (the FHIR double calls smartConfiguration once per request). */
  discoveryRequests: number;
  /** Makes the next authorization remember a different PKCE challenge: the exchange then fails as with a wrong verifier. */
  corruptNextChallenge: boolean;
  /** Valid (issued, unexpired) access token → its grant; null otherwise. */
  checkAccessToken(token: string): AccessRecord | null;
  /** Marks every issued access token as expired (as if time had passed). */
  expireAccessTokens(): void;
  readonly stats: {
    authorizeRequests: Array<Record<string, string>>;
    tokenRequests: Array<{ grantType: string; form: Record<string, string>; authorization?: string }>;
    refreshGrants: number;
    /** Every access and refresh token handed out (tests check none of them reaches the browser). */
    issued: string[];
    refused: Array<{ error: string; description: string }>;
  };
  close(): Promise<void>;
}

const token = () => randomBytes(24).toString('base64url');
const s256 = (v: string) => createHash('sha256').update(v).digest('base64url');

export async function startFakeSmartServer(opts: FakeSmartServerOptions): Promise<FakeSmartServer> {
  const app = Fastify({ logger: false });
  await app.register(formbody);
  const codes = new Map<string, CodeRecord>();
  const access = new Map<string, AccessRecord>();
  const refresh = new Map<string, { clientId: string; scope: string }>();
  const seenJti = new Set<string>();
  const idTokenKeys = await generateKeyPair('RS256', { extractable: true });
  const foreignKeys = await generateKeyPair('RS256');
  const publicJwk = { ...(await exportJWK(idTokenKeys.publicKey)), kid: 'id-1', alg: 'RS256', use: 'sig' };
  const clientAuth = opts.clientAuth ?? 'none';

  const smartConfiguration = (): Record<string, unknown> => ({
    issuer: server.url,
    jwks_uri: `${server.url}/jwks`,
    ...(server.issParameter ? { authorization_response_iss_parameter_supported: true } : {}),
    authorization_endpoint: server.authorizeUrl,
    token_endpoint: server.tokenUrl,
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
    scopes_supported: opts.scopesSupported ?? [
      'openid',
      'fhirUser',
      'launch',
      'launch/patient',
      'offline_access',
      'patient/*.rs',
      'patient/Observation.c',
    ],
    capabilities: opts.capabilities ?? [
      'launch-ehr',
      'launch-standalone',
      'client-public',
      'client-confidential-symmetric',
      'client-confidential-asymmetric',
      'context-ehr-patient',
      'context-ehr-encounter',
      'context-standalone-patient',
      'permission-offline',
      'permission-patient',
      'permission-user',
      'permission-v2',
      'sso-openid-connect',
    ],
  });

  const server: FakeSmartServer = {
    url: '',
    authorizeUrl: '',
    tokenUrl: '',
    smartConfiguration: () => {
      server.discoveryRequests += 1;
      return { ...smartConfiguration(), ...server.configOverrides };
    },
    configOverrides: {},
    issParameter: false,
    idTokenTweaks: {},
    discoveryRequests: 0,
    context: opts.context,
    expiresIn: opts.expiresIn ?? 3600,
    failRefresh: false,
    refreshDelayMs: 0,
    grantRefreshToken: true,
    corruptNextChallenge: false,
    checkAccessToken(t) {
      const r = access.get(t);
      return r && r.expiresAt > Date.now() ? r : null;
    },
    expireAccessTokens() {
      for (const r of access.values()) r.expiresAt = 0;
    },
    stats: { authorizeRequests: [], tokenRequests: [], refreshGrants: 0, issued: [], refused: [] },
    close: () => app.close(),
  };

  const refuse = (
    reply: { code: (n: number) => { send: (b: unknown) => unknown } },
    error: string,
    description: string,
    status = 400,
  ) => {
    server.stats.refused.push({ error, description });
    return reply.code(status).send({ error, error_description: description });
  };

  app.get('/authorize', async (request, reply) => {
    const q = request.query as Record<string, string>;
    server.stats.authorizeRequests.push(q);
    if (!q.redirect_uri || !q.state) return reply.code(400).send('missing redirect_uri or state');
    const back = new URL(q.redirect_uri);
    back.searchParams.set('state', q.state);
    if (server.issParameter && server.callbackIss !== null) {
      back.searchParams.set('iss', server.callbackIss ?? server.url);
    }
    const fail = (error: string) => {
      back.searchParams.set('error', error);
      return reply.redirect(back.toString(), 302);
    };
    if (q.response_type !== 'code' || q.client_id !== opts.clientId) return fail('unauthorized_client');
    if (q.code_challenge_method !== 'S256' || !q.code_challenge) return fail('invalid_request');
    if (server.audience && q.aud !== server.audience) return fail('invalid_request');
    if (server.expectedLaunch && q.launch !== server.expectedLaunch) return fail('invalid_request');
    const code = token();
    const challenge = server.corruptNextChallenge ? s256('not-the-verifier') : q.code_challenge;
    server.corruptNextChallenge = false;
    codes.set(code, {
      clientId: q.client_id,
      redirectUri: q.redirect_uri,
      challenge,
      scope: q.scope ?? '',
      nonce: q.nonce,
    });
    back.searchParams.set('code', code);
    return reply.redirect(back.toString(), 302);
  });

  async function authenticate(form: Record<string, string>, authorization?: string): Promise<string | null> {
    if (clientAuth === 'none') return form.client_id === opts.clientId ? null : 'unknown client_id';
    if (clientAuth === 'client_secret_basic') {
      const m = /^Basic (.+)$/.exec(authorization ?? '');
      if (!m) return 'client_secret_basic required';
      const [id, secret] = Buffer.from(m[1], 'base64').toString().split(':').map(decodeURIComponent);
      return id === opts.clientId && secret === opts.clientSecret ? null : 'wrong client credentials';
    }
    if (
      form.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' ||
      !form.client_assertion
    ) {
      return 'client assertion required';
    }
    try {
      const { payload, protectedHeader } = await jwtVerify(
        form.client_assertion,
        createLocalJWKSet(opts.clientJwks ?? { keys: [] }),
        {
          issuer: opts.clientId,
          subject: opts.clientId,
          audience: server.tokenUrl,
          algorithms: ['RS384', 'ES384'],
        },
      );
      if (protectedHeader.typ !== 'JWT') return 'assertion typ must be JWT';
      if (!payload.exp || payload.exp > Math.floor(Date.now() / 1000) + 300)
        return 'assertion lives longer than 5 minutes';
      if (!payload.jti || seenJti.has(payload.jti)) return 'assertion jti missing or reused';
      seenJti.add(payload.jti);
      return null;
    } catch (err) {
      return `assertion rejected: ${(err as Error).message}`;
    }
  }

  async function issue(scope: string, withContext: boolean, nonce?: string) {
    const accessToken = token();
    server.stats.issued.push(accessToken);
    access.set(accessToken, {
      expiresAt: Date.now() + server.expiresIn * 1000,
      scope,
      patient: server.context.patient,
    });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: server.expiresIn,
      scope,
    };
    if (server.grantRefreshToken && /\b(offline_access|online_access)\b/.test(scope)) {
      const rt = token();
      refresh.set(rt, { clientId: opts.clientId, scope });
      server.stats.issued.push(rt);
      body.refresh_token = rt;
    }
    if (withContext) {
      body.patient = server.context.patient;
      if (server.context.encounter) body.encounter = server.context.encounter;
      if (server.context.needPatientBanner !== undefined)
        body.need_patient_banner = server.context.needPatientBanner;
      if (/\bopenid\b/.test(scope) && server.context.fhirUser) {
        const tweak = server.idTokenTweaks;
        const theNonce = tweak.nonce ?? nonce;
        body.id_token = await new SignJWT({
          fhirUser: server.context.fhirUser,
          ...(theNonce ? { nonce: theNonce } : {}),
        })
          .setProtectedHeader({ alg: 'RS256', kid: 'id-1' })
          .setIssuer(server.url)
          .setAudience(tweak.audience ?? opts.clientId)
          .setSubject('nurse-1')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(tweak.foreignKey ? foreignKeys.privateKey : idTokenKeys.privateKey);
      }
    }
    return body;
  }

  app.get('/jwks', async () => ({ keys: [publicJwk] }));

  app.post('/token', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    const authorization = request.headers.authorization;
    server.stats.tokenRequests.push({ grantType: form.grant_type, form, authorization });
    reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    const authProblem = await authenticate(form, authorization);
    if (authProblem) return refuse(reply, 'invalid_client', authProblem, 401);

    if (form.grant_type === 'authorization_code') {
      const rec = codes.get(form.code);
      codes.delete(form.code);
      if (!rec) return refuse(reply, 'invalid_grant', 'unknown or used code');
      if (rec.redirectUri !== form.redirect_uri)
        return refuse(reply, 'invalid_grant', 'redirect_uri mismatch');
      if (!form.code_verifier || s256(form.code_verifier) !== rec.challenge) {
        return refuse(reply, 'invalid_grant', 'PKCE code_verifier does not match the code_challenge');
      }
      return issue(rec.scope, true, rec.nonce);
    }
    if (form.grant_type === 'refresh_token') {
      const rec = refresh.get(form.refresh_token);
      if (server.failRefresh || !rec)
        return refuse(reply, 'invalid_grant', 'refresh token expired or revoked');
      server.stats.refreshGrants += 1;
      // Rotate: the old refresh token is single use.
      refresh.delete(form.refresh_token);
      if (server.refreshDelayMs > 0) await new Promise((r) => setTimeout(r, server.refreshDelayMs));
      return issue(rec.scope, false);
    }
    return refuse(reply, 'unsupported_grant_type', `grant_type ${form.grant_type} is not supported`);
  });

  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  server.url = address.replace('localhost', '127.0.0.1');
  server.authorizeUrl = `${server.url}/authorize`;
  server.tokenUrl = `${server.url}/token`;
  return server;
}
