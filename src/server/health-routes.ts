// Liveness and readiness. /readyz is red when the audit store cannot be written (no card may
// leave then) or the guideline corpus is empty. The readiness gauge has one writer, the runtime's
// Health (every audit write and probe, this route's included, goes through it).
import type { FastifyPluginAsync } from 'fastify';
import type { Runtime } from './runtime.ts';

export const healthRoutes: FastifyPluginAsync<{ runtime: Runtime }> = async (app, { runtime }) => {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    let auditOk = false;
    try {
      auditOk = await runtime.health.auditWritable(() => runtime.audit.healthy());
    } catch {
      auditOk = false;
    }
    const corpusOk = runtime.guidelines.size > 0;
    const ready = auditOk && corpusOk;
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not-ready',
      checks: {
        audit: auditOk ? 'ok' : 'failing',
        guidelines: corpusOk
          ? `ok (${runtime.guidelines.size} passages, version ${runtime.guidelines.corpusVersion.slice(0, 12)})`
          : 'empty',
        model: runtime.advisor.enabled ? runtime.advisor.describe() : 'none (deterministic mode)',
      },
    });
  });
};
