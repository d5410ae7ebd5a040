// `citecare serve`: parse configuration, wire the runtime, listen; finish in-flight requests on
// SIGTERM/SIGINT before closing the stores.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { buildApp } from './app.ts';
import { buildMetricsApp } from './metrics-server.ts';
import { standardPlugins } from './plugins.ts';
import { createRuntime } from './runtime.ts';

export async function serve(config: Config): Promise<FastifyInstance> {
  const runtime = await createRuntime(config);
  const app = await buildApp(runtime, { plugins: standardPlugins(config) });
  runtime.onWarning((message) => app.log.warn(message));
  if (config.CDS_AUTH === 'disabled') {
    app.log.warn(
      'CDS_AUTH=disabled: CDS Hooks calls are NOT authenticated. Development only; never expose this server.',
    );
  }
  if (!runtime.advisor.enabled) {
    app.log.info('No model configured: deterministic mode (every card says so).');
  }
  const metricsApp = config.METRICS_PORT === undefined ? undefined : await buildMetricsApp(runtime.metrics);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    try {
      await app.close();
      await metricsApp?.close();
      await runtime.close();
    } finally {
      process.exit(0);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ port: config.PORT, host: config.HOST });
  if (metricsApp) {
    const address = await metricsApp.listen({ port: config.METRICS_PORT, host: config.HOST });
    app.log.info({ address }, 'metrics listening');
  }
  return app;
}
