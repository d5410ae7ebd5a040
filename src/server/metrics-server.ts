// The metrics listener: its own fastify instance on METRICS_PORT, so /metrics is never reachable
// through the public port (and needs no CDS authentication, CORS or SMART cookies).
import Fastify, { type FastifyInstance } from 'fastify';
import type { Metrics } from '../observability/metrics.ts';

export async function buildMetricsApp(metrics: Metrics): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text()));
  return app;
}
