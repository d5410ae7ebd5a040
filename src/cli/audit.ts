// `citecare audit verify | export | purge`: the operator's and auditor's tools over the trail.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, type ExportFormat, exportChunks } from '../audit/export.ts';
import { openAuditStore } from '../audit/open-audit-store.ts';
import type { AuditDatabase, AuditEntry } from '../audit/types.ts';
import type { CliIo } from './io.ts';

const USAGE = `Usage:
  citecare audit verify [--json]
  citecare audit export --format ndjson|fhir [--out FILE]
  citecare audit purge [--older-than-days N]   (default: AUDIT_RETENTION_DAYS)`;

const DAY_MS = 86_400_000;

class AuditUsageError extends Error {}

async function write(stream: NodeJS.WritableStream, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

async function* counting(
  entries: AsyncIterable<AuditEntry>,
  count: { n: number },
): AsyncIterable<AuditEntry> {
  for await (const e of entries) {
    count.n += 1;
    yield e;
  }
}

async function verify(store: AuditDatabase, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
  const result = await store.verifyChain();
  if (values.json) await write(io.stdout, `${JSON.stringify(result)}\n`);
  if (result.ok) {
    const from = result.anchor ? `, continuing from purged seq ${result.anchor.seq}` : '';
    if (!values.json) {
      await write(
        io.stdout,
        `Audit chain intact: ${result.entries} entries up to seq ${result.head.seq}${from}.\n`,
      );
    }
    return 0;
  }
  const b = result.broken;
  await write(io.stderr, `Audit chain BROKEN at seq ${b.seq}${b.id ? ` (id ${b.id})` : ''}: ${b.reason}\n`);
  return 1;
}

async function exportTrail(store: AuditDatabase, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { format: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  const format = values.format as ExportFormat | undefined;
  if (!format || !EXPORT_FORMATS.includes(format))
    throw new AuditUsageError('--format must be ndjson or fhir');
  const count = { n: 0 };
  const chunks = exportChunks(format, counting(store.entries(), count));
  if (!values.out) {
    for await (const chunk of chunks) await write(io.stdout, chunk);
    return 0;
  }
  const file = createWriteStream(values.out, { encoding: 'utf8' });
  const failed = once(file, 'error').then(([err]) => {
    throw err;
  });
  failed.catch(() => {});
  const done = (async () => {
    for await (const chunk of chunks) await write(file, chunk);
    file.end();
    await once(file, 'finish');
  })();
  await Promise.race([done, failed]);
  await write(io.stderr, `Exported ${count.n} audit entries (${format}) to ${values.out}\n`);
  return 0;
}

async function purge(store: AuditDatabase, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { 'older-than-days': { type: 'string' } }, strict: true });
  const raw = values['older-than-days'] ?? io.config.AUDIT_RETENTION_DAYS?.toString();
  if (raw === undefined) throw new AuditUsageError('give --older-than-days N or set AUDIT_RETENTION_DAYS');
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1)
    throw new AuditUsageError('--older-than-days must be a whole number ≥ 1');
  const before = new Date(Date.now() - days * DAY_MS);
  const result = await store.purge(before);
  const anchor = result.anchor ? `; the chain now starts after seq ${result.anchor.seq}` : '';
  await write(
    io.stdout,
    `Purged ${result.purged} audit entries older than ${before.toISOString()}${anchor}.\n`,
  );
  return 0;
}

/** Runs `citecare audit …` (args after `audit`); returns the exit code. */
export async function runAuditCli(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args[0] === 'audit' ? args.slice(1) : args;
  const run = { verify, export: exportTrail, purge }[command as 'verify' | 'export' | 'purge'];
  if (!run) {
    await write(io.stderr, `${command ? `Unknown audit command "${command}".\n` : ''}${USAGE}\n`);
    return 2;
  }
  let store: AuditDatabase | undefined;
  try {
    store = await openAuditStore(io.config.AUDIT_DATABASE_URL);
    return await run(store, rest, io);
  } catch (err) {
    const usage =
      err instanceof AuditUsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    await write(io.stderr, `${(err as Error).message}\n${usage ? `${USAGE}\n` : ''}`);
    return usage ? 2 : 1;
  } finally {
    await store?.close();
  }
}
