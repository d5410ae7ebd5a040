// Builds the real app for integration tests: the real pipeline, guideline index and card
// builder, an in-memory SQLite audit store, and the test CDS client trusted.
import type { FastifyInstance } from 'fastify';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import type { AuditDatabase } from '../../src/audit/types.ts';
import type { CdsClient } from '../../src/auth/cds-clients.ts';
import { fixedClock } from '../../src/clinical/clock.ts';
import { type Config, testConfig } from '../../src/config.ts';
import {
  createGuidelineIndex,
  guidelineIndexOptions,
} from '../../src/guidelines/adapters/create-guideline-index.ts';
import type { GuidelineIndex } from '../../src/guidelines/types.ts';
import type { Advisor } from '../../src/llm/types.ts';
import { buildApp } from '../../src/server/app.ts';
import { createRuntime, type Runtime } from '../../src/server/runtime.ts';
import { getTestCdsClient, mintCdsToken } from './cds-tokens.ts';

export const BASE = 'http://cds.test.citecare.example';

let sharedIndex: Promise<GuidelineIndex> | undefined;
/** The bundled corpus, indexed once per test process. */
export function testGuidelineIndex(): Promise<GuidelineIndex> {
  sharedIndex ??= createGuidelineIndex(guidelineIndexOptions(testConfig(), { cache: 'off' }));
  return sharedIndex;
}

export interface TestApp {
  app: FastifyInstance;
  runtime: Runtime;
  config: Config;
  audit: AuditDatabase;
  /** A valid client token for the path called (aud = BASE + path). */
  token(path: string): Promise<string>;
  close(): Promise<void>;
}

export async function buildTestApp(
  env: Record<string, string> = {},
  overrides: {
    advisor?: Advisor;
    audit?: AuditDatabase;
    cdsClients?: CdsClient[];
    at?: string;
    logStream?: { write(line: string): void };
  } = {},
): Promise<TestApp> {
  const config = testConfig({ PUBLIC_BASE_URL: BASE, ...env });
  const client = await getTestCdsClient();
  const audit = overrides.audit ?? (await openAuditStore('sqlite::memory:'));
  const runtime = await createRuntime(config, {
    audit,
    guidelines: await testGuidelineIndex(),
    cdsClients: overrides.cdsClients ?? [client.client],
    clock: fixedClock(overrides.at ?? '2026-11-26T12:00:00Z'),
    ...(overrides.advisor ? { advisor: overrides.advisor } : {}),
  });
  const app = await buildApp(runtime, { logStream: overrides.logStream });
  return {
    app,
    runtime,
    config,
    audit,
    token: (path) =>
      mintCdsToken({
        aud: `${BASE}${path}`,
        now: Math.floor(Date.parse(overrides.at ?? '2026-11-26T12:00:00Z') / 1000),
      }),
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}
