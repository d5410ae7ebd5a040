// `citecare guidelines search|index`: look passages up from a terminal, and (re)build the index
// after an institution drops Markdown files into GUIDELINES_EXTRA_DIR.
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import type { Config } from '../config.ts';
import type { LoadProgress } from '../guidelines/adapters/corpus-files.ts';
import {
  createGuidelineIndexWithCorpus,
  type GuidelineIndexOptions,
  guidelineIndexOptions,
} from '../guidelines/adapters/create-guideline-index.ts';
import { GuidelineFormatError } from '../guidelines/front-matter.ts';
import type { ScoredPassage } from '../guidelines/types.ts';

export interface GuidelinesCliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  config: Config;
  /** Overrides for tests (e.g. another cache folder). */
  options?: Partial<GuidelineIndexOptions>;
}

/** A corpus this large gets a progress bar even when stderr is not a terminal. */
const LARGE_CORPUS_FILES = 500;

const USAGE = `usage:
  citecare guidelines search QUERY [--k N] [--json] [--topic TOPIC]... [--code SYSTEM|CODE]...
  citecare guidelines index
`;

function isTty(stream: NodeJS.WritableStream): boolean {
  return (stream as NodeJS.WriteStream).isTTY === true;
}

function formatHit(p: ScoredPassage, rank: number): string {
  return (
    `${rank}. ${p.title} (${p.issuer}, ${p.year}) — ${p.section}\n` +
    `   ${p.chunkId}  score ${p.score.toFixed(3)}\n` +
    `   ${p.text}\n` +
    `   ${p.url}\n`
  );
}

async function search(args: string[], io: GuidelinesCliIo): Promise<number> {
  let parsed: ReturnType<typeof parseSearchArgs>;
  try {
    parsed = parseSearchArgs(args);
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const warnings: string[] = [];
  const { index } = await createGuidelineIndexWithCorpus(
    guidelineIndexOptions(io.config, { onWarning: (w) => warnings.push(w), ...io.options }),
  );
  const hits = await index.search({
    text: parsed.query,
    k: parsed.k,
    topics: parsed.topics,
    codes: parsed.codes,
  });
  for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
  if (parsed.json) {
    const rows = hits.map(({ chunkId, title, issuer, year, url, section, text, score }) => ({
      chunkId,
      title,
      issuer,
      year,
      url,
      section,
      text,
      score,
    }));
    io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else if (hits.length === 0) {
    io.stdout.write('No matching guideline passages.\n');
  } else {
    io.stdout.write(hits.map((h, i) => formatHit(h, i + 1)).join('\n'));
  }
  return 0;
}

function parseSearchArgs(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      k: { type: 'string' },
      json: { type: 'boolean', default: false },
      topic: { type: 'string', multiple: true },
      code: { type: 'string', multiple: true },
    },
  });
  const query = positionals.join(' ').trim();
  if (query === '') throw new Error('search needs a QUERY');
  const k = values.k === undefined ? 5 : Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new Error('--k must be a whole number from 1 to 100');
  return { query, k, json: values.json ?? false, topics: values.topic, codes: values.code };
}

async function index(args: string[], io: GuidelinesCliIo): Promise<number> {
  if (args.length > 0) {
    io.stderr.write(`index takes no arguments\n${USAGE}`);
    return 2;
  }
  let bar: SingleBar | undefined;
  const onProgress = (p: LoadProgress) => {
    if (!bar && (isTty(io.stderr) || p.total >= LARGE_CORPUS_FILES)) {
      bar = new SingleBar({
        stream: io.stderr,
        format: 'guidelines [{bar}] {value}/{total} files',
        noTTYOutput: !isTty(io.stderr),
        hideCursor: isTty(io.stderr),
      });
      bar.start(p.total, 0);
    }
    bar?.update(p.loaded);
  };
  const warnings: string[] = [];
  try {
    const { index, corpus, cache } = await createGuidelineIndexWithCorpus(
      guidelineIndexOptions(io.config, {
        cache: 'read-write',
        onProgress,
        onWarning: (w) => warnings.push(w),
        ...io.options,
      }),
    );
    bar?.stop();
    for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
    const perDir = new Map<string, number>();
    for (const d of corpus.documents) perDir.set(d.dir, (perDir.get(d.dir) ?? 0) + 1);
    io.stdout.write(
      `Indexed ${corpus.documents.length} documents, ${corpus.passages.length} passages (${index.mode}).\n` +
        [...perDir].map(([dir, n]) => `  ${n} from ${dir}\n`).join('') +
        `Corpus version: ${corpus.corpusVersion}\n` +
        (cache ? `Cache: ${cache.file}${cache.written ? ' (written)' : ' (up to date)'}\n` : ''),
    );
    return 0;
  } catch (err) {
    bar?.stop();
    if (err instanceof GuidelineFormatError) {
      io.stderr.write(`error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/** Runs `guidelines <verb> …`; returns the process exit code. */
export async function runGuidelinesCli(args: string[], io: GuidelinesCliIo): Promise<number> {
  const [verb, ...rest] = args;
  try {
    switch (verb) {
      case 'search':
        return await search(rest, io);
      case 'index':
        return await index(rest, io);
      default:
        io.stderr.write(verb ? `unknown guidelines command "${verb}"\n${USAGE}` : USAGE);
        return 2;
    }
  } catch (err) {
    io.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
}
