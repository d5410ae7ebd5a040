// The one way a passage becomes a citation. A quote is always an exact substring of the
// passage, so a reader (or the grounding verifier) can find it word for word.
import { termSet } from './analyzer.ts';
import type { Citation, Passage } from './types.ts';

// Abbreviations whose full stop does not end a sentence.
const NO_BREAK = /(?:\be\.g|\bi\.e|\bvs|\bapprox|\bDr|\bNo|\bFig|\bet al|\bcf)\.$/i;

/** The passage's sentences, each an exact substring of its text. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  const boundary = /[.!?](?=\s+\S)/g;
  let start = 0;
  for (let m = boundary.exec(text); m; m = boundary.exec(text)) {
    const end = m.index + 1;
    if (NO_BREAK.test(text.slice(start, end))) continue;
    const s = text.slice(start, end).trim();
    if (s) out.push(s);
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

/** The sentence sharing the most terms with the query (the first sentence when none do). */
export function bestQuote(passage: Passage, queryText = ''): string {
  const all = sentences(passage.text);
  if (all.length === 0) return passage.text;
  const wanted = termSet(queryText);
  let best = all[0]!;
  let bestScore = 0;
  for (const s of all) {
    let score = 0;
    for (const t of termSet(s)) if (wanted.has(t)) score++;
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best;
}

/** True when the quote is non-empty and appears verbatim in the passage. */
export function verifyQuote(passage: Pick<Passage, 'text'>, quote: string): boolean {
  return quote.trim() !== '' && passage.text.includes(quote);
}

export class QuoteNotInPassageError extends Error {
  constructor(readonly chunkId: string) {
    super(`quote is not an exact substring of passage ${chunkId}`);
    this.name = 'QuoteNotInPassageError';
  }
}

/** A citation of the passage; without a quote it quotes the passage's first sentence. */
export function citationFor(passage: Passage, quote?: string): Citation {
  const q = quote ?? bestQuote(passage);
  if (!verifyQuote(passage, q)) throw new QuoteNotInPassageError(passage.chunkId);
  return {
    chunkId: passage.chunkId,
    title: passage.title,
    issuer: passage.issuer,
    year: passage.year,
    url: passage.url,
    section: passage.section,
    quote: q,
  };
}

/** A citation quoting the sentence that best matches what the finding or query is about. */
export function citationForQuery(passage: Passage, queryText: string): Citation {
  return citationFor(passage, bestQuote(passage, queryText));
}
