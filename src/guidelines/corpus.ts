// The guideline corpus, parsed: each `##` section of a document becomes one passage; its chunk id
// depends only on the document id and the heading, so citations recorded in the audit trail keep
// pointing at the same passage across reloads. Reading the files is adapters/corpus-files.ts's job.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { GuidelineFormatError, type GuidelineFrontMatter, parseFrontMatter } from './front-matter.ts';
import type { Passage } from './types.ts';

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

export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

export function slugify(heading: string): string {
  return heading
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
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

/** One document; `file` is the name shown in errors and recorded (see displayPath in corpus-files.ts). */
export function parseGuidelineDocument(file: string, source: string, dir = ''): GuidelineDocument {
  const shown = file;
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
