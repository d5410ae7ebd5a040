// CDS Hooks 2.0 routes: discovery, one endpoint per service (cds-hook-route.ts), feedback
// (cds-feedback-route.ts). CORS and client JWT authentication apply to every route in this plugin
// (and only here). What differs between services lives in their modules (cds-hooks/*.ts).
import type { FastifyPluginAsync } from 'fastify';
import { CDS_SERVICES, type CdsServiceModule } from '../../cds-hooks/index.ts';
import { HOOK_OUTCOMES } from '../observability/metrics.ts';
import { registerCdsAuthentication } from './cds-authentication.ts';
import { registerFeedbackRoute } from './cds-feedback-route.ts';
import { registerHookRoute } from './cds-hook-route.ts';
import type { Runtime } from './runtime.ts';

export interface CdsRoutesOptions {
  runtime: Runtime;
  services?: readonly CdsServiceModule[];
}

export const cdsRoutes: FastifyPluginAsync<CdsRoutesOptions> = async (app, opts) => {
  const { runtime } = opts;
  const services = opts.services ?? CDS_SERVICES;
  const byId = new Map(services.map((s) => [s.descriptor.id, s]));

  app.decorateRequest('hookOutcome', undefined);
  // Hook latency by service and outcome, rejected calls (401, 400, 412) included. Unknown service
  // ids are labelled as such so a scanner cannot grow the label set.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'POST' || request.routeOptions.url !== '/cds-services/:id') return;
    const id = (request.params as { id?: string }).id ?? '';
    const status = reply.statusCode;
    const outcome =
      request.hookOutcome ??
      (status === 412
        ? HOOK_OUTCOMES.preconditionFailed
        : status >= 400 && status < 500
          ? HOOK_OUTCOMES.clientError
          : '5xx');
    runtime.metrics.hookDuration.observe(
      { service: byId.has(id) ? id : 'unknown', outcome },
      reply.elapsedTime / 1000,
    );
  });
  registerCdsAuthentication(app, runtime);

  app.get('/cds-services', async () => ({
    services: services.map((s) => s.descriptor),
  }));
  registerHookRoute(app, runtime, byId);
  await registerFeedbackRoute(app, runtime, byId);
};
