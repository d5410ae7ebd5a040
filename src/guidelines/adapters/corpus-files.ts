// Reads the guideline corpus from folders: the bundled one plus an optional institutional one.
// Parsing and versioning are the core's (../corpus.ts); this file only lists and reads files.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Corpus, corpusVersionOf, type GuidelineDocument, parseGuidelineDocument } from '../corpus.ts';
import { GuidelineFormatError } from '../front-matter.ts';

/** The corpus shipped with CiteCare. */
export const BUNDLED_GUIDELINES_DIR = fileURLToPath(new URL('../../../guidelines/', import.meta.url));

export interface LoadProgress {
  loaded: number;
  total: number;
  file: string;
}

export interface LoadCorpusOptions {
  onProgress?: (p: LoadProgress) => void;
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

function listMarkdown(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new GuidelineFormatError(displayPath(dir), undefined, 'is not a readable directory');
  }
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md') && name.toLowerCase() !== 'readme.md' && !name.startsWith('_'))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Reads every `*.md` file of the given folders (README.md and `_*.md` are skipped). A document id
 * used twice, in one folder or across the bundled and institutional folders, is an error.
 */
export async function loadCorpus(dirs: readonly string[], options: LoadCorpusOptions = {}): Promise<Corpus> {
  const files = dirs.flatMap((dir) =>
    listMarkdown(resolve(dir)).map((file) => ({ dir: displayPath(resolve(dir)), file })),
  );
  const documents: GuidelineDocument[] = [];
  const byId = new Map<string, string>();
  for (const [i, { dir, file }] of files.entries()) {
    const doc = parseGuidelineDocument(displayPath(file), await readFile(file, 'utf8'), dir);
    const previous = byId.get(doc.id);
    if (previous) {
      throw new GuidelineFormatError(doc.file, 'id', `"${doc.id}" is already used by ${previous}`);
    }
    byId.set(doc.id, doc.file);
    documents.push(doc);
    options.onProgress?.({ loaded: i + 1, total: files.length, file: doc.file });
  }
  const passages = documents.flatMap((d) => d.passages);
  return { documents, passages, corpusVersion: corpusVersionOf(passages) };
}
