// The optional parts of the product, each a fastify plugin with its own prefix.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Runtime } from './runtime.ts';

type Plugin = (app: FastifyInstance, runtime: Runtime) => Promise<void>;

export function standardPlugins(_config: Config): Plugin[] {
  return [];
}
