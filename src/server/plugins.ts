// The parts of the product beside the CDS service, each a fastify plugin under its own prefix.
// serve.ts registers them all; integration tests register only what they exercise.
import type { FastifyInstance } from 'fastify';
import { CDS_SERVICES } from '../../cds-hooks/index.ts';
import { smartAppPlugin } from '../../smart-app/plugin.ts';
import { aboutPlugin } from '../about/about-plugin.ts';
import { createAuditorVerifier } from '../auth/auditor-auth.ts';
import type { Config } from '../config.ts';
import { demoFhirPlugin } from '../demo-fhir/fhir-server.ts';
import { auditRoutes } from './audit-routes.ts';
import type { Runtime } from './runtime.ts';

export type AppPlugin = (app: FastifyInstance, runtime: Runtime) => Promise<void>;

export const demoFhir: AppPlugin = async (app, runtime) => {
  await app.register(demoFhirPlugin, {
    prefix: '/fhir',
    baseUrl: `${runtime.config.PUBLIC_BASE_URL}/fhir`,
    clock: runtime.clock,
  });
};

const smartApp: AppPlugin = async (app, runtime) => {
  await app.register(smartAppPlugin, { prefix: '/smart', runtime });
};

const auditApi: AppPlugin = async (app, runtime) => {
  await app.register(auditRoutes, {
    prefix: '/audit',
    store: runtime.audit,
    verifyAuditor: createAuditorVerifier(runtime.config),
    config: runtime.config,
    redis: runtime.redis,
  });
};

const aboutPages: AppPlugin = async (app, runtime) => {
  // The plugin's routes carry their own /about paths.
  await app.register(aboutPlugin, {
    services: CDS_SERVICES,
    runtime,
  });
};

export function standardPlugins(config: Config): AppPlugin[] {
  return [...(config.DEMO_FHIR === 'on' ? [demoFhir] : []), smartApp, auditApi, aboutPages];
}
