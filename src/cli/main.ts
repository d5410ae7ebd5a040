// `citecare <verb>`: the one command-line entry point. Verbs load their modules lazily so a
// quick `assess` does not pay for the server's start-up.
import { ConfigError, loadConfig } from '../config.ts';
import { type CliIo, UsageError } from './io.ts';

const USAGE = `Usage: citecare <command>

  serve                                      start the service (what npm start runs)
  assess --bundle FILE [--chief-complaint TEXT] [--at ISO-8601] [--json]
                                             assess a FHIR Bundle file
  guidelines search QUERY [--k N] [--json]   search the guideline corpus
  guidelines index                           (re)index the corpus and any institutional folder
  audit verify                               check the audit hash chain
  audit export --format ndjson|fhir [--out FILE]
  audit purge [--older-than-days N]          apply the retention period, keeping the chain verifiable
  demo [--base URL]                          call the running service as a CDS client for each demo patient

Configuration comes from the environment (see README).`;

type Verb = (args: string[], io: CliIo) => Promise<number>;

/** The verbs besides `serve`, each loaded when called. */
const VERBS = new Map<string, () => Promise<Verb>>([
  ['assess', async () => (await import('./assess.ts')).runAssessCli],
  ['guidelines', async () => (await import('./guidelines.ts')).runGuidelinesCli],
  ['audit', async () => (await import('./audit.ts')).runAuditCli],
  ['demo', async () => (await import('./demo.ts')).runDemoCli],
]);

export async function main(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === 'help' || verb === '--help' || verb === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return verb ? 0 : 2;
  }
  let io: CliIo;
  try {
    io = { stdout: process.stdout, stderr: process.stderr, config: loadConfig(env) };
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  try {
    if (verb === 'serve') {
      const { serve } = await import('../server/serve.ts');
      await serve(io.config);
      return 0;
    }
    const load = VERBS.get(verb);
    if (!load) {
      process.stderr.write(`Unknown command "${verb}".\n\n${USAGE}\n`);
      return 2;
    }
    return await (await load())(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
