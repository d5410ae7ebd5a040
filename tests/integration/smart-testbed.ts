// Shared set-up for the SMART app tests: the SMART and FHIR doubles on 127.0.0.1, the app's plugin
// in a bare fastify instance (optionally listening, for the browser), and either the real runtime
// or a stub pipeline with an in-memory audit store.
import { createServer } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { type SmartAppPluginOptions, smartAppPlugin } from '../../smart-app/plugin.ts';
import { SESSION_COOKIE_PREFIX } from '../../smart-app/session.ts';
import type { AuditRecordInput, FeedbackInput } from '../../src/audit/types.ts';
import { type Config, testConfig } from '../../src/config.ts';
import type { Advisor } from '../../src/llm/types.ts';
import type { PipelineInput } from '../../src/pipeline/types.ts';
import type { Runtime } from '../../src/server/runtime.ts';
import {
  type FakeFhirServer,
  type FakeFhirServerOptions,
  startFakeFhirServer,
} from '../helpers/fake-fhir-server.ts';
import {
  type FakeSmartServer,
  type FakeSmartServerOptions,
  startFakeSmartServer,
} from '../helpers/fake-smart-server.ts';
import { stubRuntime } from './smart-stub-runtime.ts';
import { triagePatientBundle } from './smart-triage-patient.ts';

export const CLIENT_ID = 'citecare-test-client';
export const PATIENT_ID = 'pt-ed-1';
export const ENCOUNTER_ID = 'enc-ed-1';

export interface Testbed {
  app: FastifyInstance;
  baseUrl: string;
  smart: FakeSmartServer;
  fhir: FakeFhirServer;
  runtime: Runtime;
  config: Config;
  feedback: FeedbackInput[];
  records: AuditRecordInput[];
  pipelineInputs: PipelineInput[];
  close(): Promise<void>;
}

export interface TestbedOptions {
  env?: Record<string, string>;
  smart?: Partial<FakeSmartServerOptions>;
  fhir?: Partial<FakeFhirServerOptions>;
  /** Listen on a real port (browser tests); otherwise use inject. */
  listen?: boolean;
  /** Use createRuntime (real pipeline, guideline index, SQLite audit) instead of the stub. */
  realRuntime?: boolean;
  /** With realRuntime: the model port (deterministic mode when absent). */
  advisor?: Advisor;
  /** Serve the SMART discovery document from the FHIR server (default true). */
  wellKnown?: boolean;
  /** Put the SMART endpoints into the CapabilityStatement's oauth-uris extension. */
  metadataOauth?: boolean;
  /** The FHIR double takes no token and is listed in SMART_OPEN_SERVERS (development mode). */
  openFhir?: boolean;
  /** SMART_ALLOWED_ISSUERS from the FHIR double's URL (default: the URL itself). */
  allowedIssuers?: (fhirUrl: string) => string;
  /** Stores handed to the plugin (tests reach into them, e.g. with a controllable clock). */
  stores?: Pick<SmartAppPluginOptions, 'sessions' | 'launches' | 'pending'>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startTestbed(opts: TestbedOptions = {}): Promise<Testbed> {
  const now = new Date();
  const smart = await startFakeSmartServer({
    clientId: CLIENT_ID,
    context: { patient: PATIENT_ID, encounter: ENCOUNTER_ID },
    ...opts.smart,
  });
  const fhir = await startFakeFhirServer({
    bundle: triagePatientBundle(now, PATIENT_ID),
    verifyToken: opts.openFhir ? undefined : (t) => smart.checkAccessToken(t) !== null,
    ...(opts.wellKnown === false ? {} : { smartConfiguration: () => smart.smartConfiguration() }),
    ...(opts.metadataOauth
      ? { oauthUris: () => ({ authorize: smart.authorizeUrl, token: smart.tokenUrl }) }
      : {}),
    ...opts.fhir,
  });
  smart.audience = fhir.url;
  const port = opts.listen ? await freePort() : 39999;
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = testConfig({
    PUBLIC_BASE_URL: baseUrl,
    SMART_CLIENT_ID: CLIENT_ID,
    SMART_ALLOWED_ISSUERS: opts.allowedIssuers ? opts.allowedIssuers(fhir.url) : fhir.url,
    ...(opts.openFhir ? { SMART_OPEN_SERVERS: fhir.url } : {}),
    ...opts.env,
  });
  const feedback: FeedbackInput[] = [];
  const records: AuditRecordInput[] = [];
  const pipelineInputs: PipelineInput[] = [];
  let runtime: Runtime;
  if (opts.realRuntime) {
    const { createRuntime } = await import('../../src/server/runtime.ts');
    runtime = await createRuntime(config, {
      cdsClients: [],
      ...(opts.advisor ? { advisor: opts.advisor } : {}),
    });
  } else {
    runtime = stubRuntime(config, feedback, records, pipelineInputs);
  }
  const app = Fastify({ logger: false });
  await app.register(smartAppPlugin, { prefix: '/smart', runtime, ...opts.stores });
  if (opts.listen) await app.listen({ host: '127.0.0.1', port });
  else await app.ready();
  return {
    app,
    baseUrl,
    smart,
    fhir,
    runtime,
    config,
    feedback,
    records,
    pipelineInputs,
    async close() {
      await app.close();
      await runtime.close();
      await fhir.close();
      await smart.close();
    },
  };
}

/** Cookies from set-cookie headers as one Cookie header value (later ones win). */
export function cookieJar(
  headers: Array<string | string[] | undefined>,
  jar = new Map<string, string>(),
): Map<string, string> {
  for (const h of headers) {
    for (const line of Array.isArray(h) ? h : h ? [h] : []) {
      const [pair] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (value === '' || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
  }
  return jar;
}

export const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/**
 * Runs a launch through inject and the SMART double (authorize redirects at once). Returns the
 * jar with the session cookie, the CSRF token and every response along the way.
 */
export async function signIn(
  tb: Testbed,
  query: string,
  opts: { dropLaunchCookie?: boolean; jar?: Map<string, string> } = {},
) {
  const jar = new Map(opts.jar ?? []);
  const launch = await tb.app.inject({
    method: 'GET',
    url: `/smart/launch${query}`,
    headers: jar.size ? { cookie: cookieHeader(jar) } : {},
  });
  cookieJar([launch.headers['set-cookie']], jar);
  if (launch.statusCode !== 302) return { launch, jar, csrf: '', handle: '' };
  const authorize = await fetch(String(launch.headers.location), { redirect: 'manual' });
  const back = new URL(String(authorize.headers.get('location')));
  if (opts.dropLaunchCookie) {
    for (const name of [...jar.keys()]) if (name.startsWith('citecare_launch_')) jar.delete(name);
  }
  const callback = await tb.app.inject({
    method: 'GET',
    url: `${back.pathname}${back.search}`,
    headers: jar.size ? { cookie: cookieHeader(jar) } : {},
  });
  cookieJar([callback.headers['set-cookie']], jar);
  let csrf = '';
  let context: Record<string, unknown> | undefined;
  let handle = '';
  if (callback.statusCode === 303) {
    handle = new URL(String(callback.headers.location), tb.baseUrl).searchParams.get('session') ?? '';
    const res = await tb.app.inject({
      method: 'GET',
      url: '/smart/api/context',
      headers: sessionHeaders(jar, handle),
    });
    context = res.json();
    csrf = String(context?.csrfToken ?? '');
  }
  return {
    launch,
    authorize,
    authorizeUrl: new URL(String(launch.headers.location)),
    callback,
    jar,
    csrf,
    context,
    handle,
  };
}

/** The handle of the newest session cookie in the jar (the launch a test made last). */
export function latestHandle(jar: Map<string, string>): string {
  const names = [...jar.keys()].filter((n) => n.startsWith(SESSION_COOKIE_PREFIX));
  return (names.at(-1) ?? '').slice(SESSION_COOKIE_PREFIX.length);
}

/** Headers for a read from the page: the cookies and the page's session handle. */
export const sessionHeaders = (jar: Map<string, string>, handle = latestHandle(jar)) => ({
  cookie: cookieHeader(jar),
  'x-citecare-session': handle,
});

/** Headers for a state-changing API call from the page. */
export const pageHeaders = (
  tb: Testbed,
  jar: Map<string, string>,
  csrf: string,
  handle = latestHandle(jar),
) => ({
  ...sessionHeaders(jar, handle),
  origin: tb.baseUrl,
  'x-csrf-token': csrf,
  'content-type': 'application/json',
});
