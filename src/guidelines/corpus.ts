// Loads the guideline corpus: the bundled folder plus an optional institutional one. Each `##`
// section becomes one passage; its chunk id depends only on the document id and the heading, so
// citations recorded in the audit trail keep pointing at the same passage across reloads.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GuidelineFormatError, type GuidelineFrontMatter, parseFrontMatter } from './front-matter.ts';
import type { Passage } from './types.ts';

/** The corpus shipped with CiteCare. */
export const BUNDLED_GUIDELINES_DIR = fileURLToPath(new URL('../../guidelines/', import.meta.url));

export interface GuidelineDocument extends GuidelineFrontMatter {
  /** The file it came from (relative to the working directory when possible). */
  file: string;
  /** The folder it was loaded from, as given to loadCorpus. */
  dir: string;
  passages: Passage[];
}

export interface Corpus {
  documents: GuidelineDocument[];
  passages: Passage[];
  /** SHA-256 over every passage (text and citation metadata), in chunk-id order. */
  corpusVersion: string;
}

export interface LoadProgress {
  loaded: number;
  total: number;
  file: string;
}

export interface LoadCorpusOptions {
  onProgress?: (p: LoadProgress) => void;
}

export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

export function slugify(heading: string): string {
  return heading
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
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

/** Sections of a Markdown body: `## Heading` then a paragraph of plain sentences. */
function splitSections(file: string, body: string): Array<{ section: string; text: string }> {
  const sections: Array<{ section: string; lines: string[] }> = [];
  const preamble: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    const h = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (h && !line.startsWith('###')) {
      sections.push({ section: h[1]!, lines: [] });
    } else if (sections.length > 0) {
      sections.at(-1)!.lines.push(line);
    } else if (!/^#\s/.test(line)) {
      preamble.push(line);
    }
  }
  if (preamble.join('').trim() !== '') {
    throw new GuidelineFormatError(file, undefined, 'has text before its first "## " section');
  }
  if (sections.length === 0) throw new GuidelineFormatError(file, undefined, 'has no "## " sections');
  return sections.map(({ section, lines }) => {
    // One passage is one paragraph: line breaks carry no meaning, and a quote must match exactly.
    const text = lines.join(' ').replace(/\s+/g, ' ').trim();
    if (text === '') throw new GuidelineFormatError(file, undefined, `section "${section}" is empty`);
    return { section, text };
  });
}

export function parseGuidelineDocument(file: string, source: string, dir = ''): GuidelineDocument {
  const shown = displayPath(file);
  const { meta, body } = parseFrontMatter(shown, source);
  const expectedId = basename(file, '.md');
  if (meta.id !== expectedId) {
    throw new GuidelineFormatError(shown, 'id', `must equal the file name "${expectedId}"`);
  }
  const seen = new Set<string>();
  const passages = splitSections(shown, body).map(({ section, text }): Passage => {
    const slug = slugify(section);
    if (!slug) throw new GuidelineFormatError(shown, undefined, `section "${section}" has no usable heading`);
    if (seen.has(slug))
      throw new GuidelineFormatError(shown, undefined, `section "${section}" appears twice`);
    seen.add(slug);
    return {
      chunkId: `${meta.id}#${slug}`,
      documentId: meta.id,
      title: meta.title,
      issuer: meta.issuer,
      year: meta.year,
      url: meta.url,
      section,
      text,
      topics: [...meta.topics],
      codes: [...meta.codes],
      contentHash: sha256(text),
    };
  });
  return { ...meta, file: shown, dir, passages };
}

export function corpusVersionOf(passages: readonly Passage[]): string {
  const h = createHash('sha256');
  for (const p of [...passages].sort((a, b) => (a.chunkId < b.chunkId ? -1 : 1))) {
    h.update(
      JSON.stringify([
        p.chunkId,
        p.contentHash,
        p.section,
        p.title,
        p.issuer,
        p.year,
        p.url,
        p.topics,
        p.codes,
      ]),
    );
    h.update('\n');
  }
  return h.digest('hex');
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
    const doc = parseGuidelineDocument(file, await readFile(file, 'utf8'), dir);
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
