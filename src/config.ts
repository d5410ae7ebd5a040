// The one place that reads the environment. Parsed once at start; everything else receives
// the typed Config. Invalid configuration stops the start with the variable and the problem.
import { z } from 'zod';

const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const absoluteUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });

const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PORT: intFrom(0, 65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_BASE_URL: absoluteUrl.optional(),
    BODY_LIMIT_BYTES: intFrom(1024, 50 * 1024 * 1024).default(5 * 1024 * 1024),

    CDS_CLIENTS_FILE: z.string().min(1).optional(),
    CDS_AUTH: z.enum(['required', 'disabled']).default('required'),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
    /** Prefix of every Redis key CiteCare writes, so several deployments (or tests) can share one Redis. */
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1–64 letters, digits or : _ . -')
      .default('citecare:'),
    /** Prometheus metrics at /metrics on this port (same HOST), never on the public port. Unset: none. */
    METRICS_PORT: intFrom(0, 65535).optional(),
    /** Services that compute and record everything but return no cards (comma-separated ids). */
    SILENT_SERVICES: csv.default([]),
    HOOK_BUDGET_MS: intFrom(100, 60_000).default(2500),
    FHIR_TIMEOUT_MS: intFrom(100, 60_000).default(4000),
    FHIR_MAX_PAGES: intFrom(1, 100).default(5),
    /**
     * FHIR base URLs a CDS client's fhirServer may name: the same origin (scheme, host, port) and the
     * same path or one below it. Required in production: CiteCare sends the EHR's token there. Unset
     * outside production: any http(s) server.
     */
    FHIR_SERVERS_ALLOWED: csv
      .pipe(z.array(absoluteUrl).min(1, 'must list at least one FHIR base URL'))
      .optional(),

    AUDIT_DATABASE_URL: z
      .string()
      .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:PATH or postgres://…')
      .default('sqlite:./data/audit.db'),
    AUDIT_RETENTION_DAYS: intFrom(1, 36_500).optional(),
    AUDITOR_ISSUER: z.string().min(1).optional(),
    AUDITOR_JWKS_FILE: z.string().min(1).optional(),
    AUDITOR_JWKS_URL: absoluteUrl.optional(),
    AUDITOR_AUDIENCE: z.string().min(1).default('citecare-audit'),
    AUDITOR_ROLE: z.string().min(1).default('auditor'),
    /** The longest an auditor token may live (exp - iat) and may still have left (exp - now). */
    AUDITOR_TOKEN_MAX_LIFETIME_SECONDS: intFrom(60, 86_400).default(3600),

    /** Requests per window per key on the SMART API (session), auditor API (subject), CDS feedback (client). */
    RATE_LIMIT_MAX: intFrom(1, 1_000_000).default(300),
    RATE_LIMIT_WINDOW_SECONDS: intFrom(1, 86_400).default(60),
    /** Key prefix of the shared counters in Redis (when REDIS_URL is set); default REDIS_KEY_PREFIX + `rate-limit:`. */
    RATE_LIMIT_REDIS_PREFIX: z.string().min(1).optional(),

    LLM_PROVIDER: z.enum(['openai', 'none']).optional(),
    OPENAI_API_KEY: z.string().min(1).optional(),
    OPENAI_BASE_URL: absoluteUrl.optional(),
    LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
    LLM_TEMPERATURE: z.coerce.number().min(0).max(2).default(0),
    LLM_TIMEOUT_MS: intFrom(100, 120_000).default(2000),
    EMBEDDINGS_BASE_URL: absoluteUrl.optional(),
    EMBEDDINGS_MODEL: z.string().min(1).default('text-embedding-3-small'),

    GUIDELINES_DIR: z.string().min(1).default('guidelines'),
    GUIDELINES_EXTRA_DIR: z.string().min(1).optional(),
    /** Days a chart-review item overridden as "already addressed" or "not relevant" stays hidden (0: never hidden). */
    CHART_REVIEW_SNOOZE_DAYS: intFrom(0, 3650).default(90),

    /** The embedded demo FHIR server (open, fictional data): on by default outside production only. */
    DEMO_FHIR: z.enum(['on', 'off']).optional(),
    SMART_CLIENT_ID: z.string().min(1).optional(),
    SMART_CLIENT_SECRET: z.string().min(1).optional(),
    SMART_PRIVATE_JWKS_FILE: z.string().min(1).optional(),
    SMART_ALLOWED_ISSUERS: csv.optional(),
    SMART_SCOPES: z
      .string()
      .min(1)
      .default('launch openid fhirUser patient/*.rs patient/Observation.c offline_access'),
    /**
     * Development only: FHIR base URLs without SMART that the app may use directly. Defaults to the
     * embedded demo server when it runs outside production.
     */
    SMART_OPEN_SERVERS: csv.optional(),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  })
  .superRefine((c, ctx) => {
    if (c.CDS_AUTH === 'disabled' && c.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['CDS_AUTH'],
        message: 'may not be "disabled" when NODE_ENV=production',
      });
    }
    if (c.NODE_ENV === 'production' && !c.FHIR_SERVERS_ALLOWED) {
      ctx.addIssue({
        code: 'custom',
        path: ['FHIR_SERVERS_ALLOWED'],
        message:
          'is required when NODE_ENV=production (CiteCare sends the EHR access token to these servers)',
      });
    }
    if (c.NODE_ENV === 'production' && c.DEMO_FHIR === 'on') {
      ctx.addIssue({
        code: 'custom',
        path: ['DEMO_FHIR'],
        message: 'may not be "on" when NODE_ENV=production (it is an open, writable FHIR server)',
      });
    }
    if (c.LLM_PROVIDER === 'openai' && !c.OPENAI_API_KEY && !c.OPENAI_BASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['OPENAI_API_KEY'],
        message: 'is required when LLM_PROVIDER=openai (unless OPENAI_BASE_URL names a keyless local server)',
      });
    }
    if (c.METRICS_PORT !== undefined && c.METRICS_PORT !== 0 && c.METRICS_PORT === c.PORT) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_PORT'],
        message: 'must differ from PORT: metrics are never served on the public port',
      });
    }
    if (c.SMART_CLIENT_SECRET && c.SMART_PRIVATE_JWKS_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMART_CLIENT_SECRET'],
        message: 'set either SMART_CLIENT_SECRET or SMART_PRIVATE_JWKS_FILE, not both',
      });
    }
    if (c.NODE_ENV === 'production' && c.SMART_OPEN_SERVERS?.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMART_OPEN_SERVERS'],
        message: 'may not be set when NODE_ENV=production',
      });
    }
  })
  .transform((c) => {
    const publicBaseUrl = (c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
    const llmProvider = c.LLM_PROVIDER ?? (c.OPENAI_API_KEY || c.OPENAI_BASE_URL ? 'openai' : 'none');
    const demoFhir = c.DEMO_FHIR ?? (c.NODE_ENV === 'production' ? 'off' : 'on');
    return {
      ...c,
      PUBLIC_BASE_URL: publicBaseUrl,
      LLM_PROVIDER: llmProvider,
      SMART_ALLOWED_ISSUERS: c.SMART_ALLOWED_ISSUERS ?? [`${publicBaseUrl}/fhir`],
      DEMO_FHIR: demoFhir,
      RATE_LIMIT_REDIS_PREFIX: c.RATE_LIMIT_REDIS_PREFIX ?? `${c.REDIS_KEY_PREFIX}rate-limit:`,
      SMART_OPEN_SERVERS:
        c.SMART_OPEN_SERVERS ??
        (demoFhir === 'on' && c.NODE_ENV !== 'production' ? [`${publicBaseUrl}/fhir`] : []),
    };
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment (process.env at start, a literal object in tests). */
/**
 * LangChain reads these itself: verbose mode prints prompts (patient data) to stdout and tracing
 * sends them to a third party. CiteCare refuses to start with them on rather than ignore them.
 */
const LEAKY_LANGCHAIN_VARIABLES = [
  'LANGCHAIN_VERBOSE',
  'LANGCHAIN_TRACING_V2',
  'LANGCHAIN_TRACING',
  'LANGSMITH_TRACING',
];

export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "unset", as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const leaky = LEAKY_LANGCHAIN_VARIABLES.filter((name) => /^(true|1|yes)$/i.test(cleaned[name] ?? ''));
  if (leaky.length > 0) {
    throw new ConfigError(
      leaky.map(
        (name) => `${name} must not be set: it would send or print model prompts, which hold patient data`,
      ),
    );
  }
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) => `${i.path.join('.') || '(environment)'} ${i.message.replace(/^Invalid input: /, '')}`,
      ),
    );
  }
  return parsed.data;
}

/** A configuration for tests: defaults plus overrides, never the real environment. */
export function testConfig(overrides: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    AUDIT_DATABASE_URL: 'sqlite::memory:',
    DEMO_FHIR: 'off',
    ...overrides,
  });
}
