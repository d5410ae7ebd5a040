// How text becomes search terms, shared by the index, the query and quote selection so that all
// three agree on what a "term" is.
import { createHash } from 'node:crypto';
import { SYNONYM_GROUPS, withSynonyms } from './synonyms.ts';

/** Bump when tokenising or term processing changes: it invalidates cached indexes. */
const ANALYZER_REVISION = 1;

const STOPWORDS = new Set(
  (
    'a an and are as at be by for from has have in into is it its of on or that the their them then ' +
    'there these this to was were which while who will with within without when what how should does ' +
    'do patient patients can may'
  ).split(' '),
);

// Decimals stay whole ("0.9", "2.26") and letter-digit mixes stay whole ("SpO2", "CHA2DS2").
const TOKEN = /\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{N}]+/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Lower-cases, drops stop words and folds simple plurals ("NSAIDs" → "nsaid"). */
export function processTerm(term: string): string | null {
  const t = term.toLowerCase();
  if (STOPWORDS.has(t)) return null;
  if (t.length > 4 && t.endsWith('s') && !/(ss|us|is)$/.test(t)) return t.slice(0, -1);
  return t;
}

/** Distinct processed terms of a text, synonym markers included. */
export function termSet(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of tokenize(withSynonyms(text))) {
    const t = processTerm(raw);
    if (t) out.add(t);
  }
  return out;
}

/** Changes whenever anything that shapes the index changes. */
export const ANALYZER_FINGERPRINT = createHash('sha256')
  .update(JSON.stringify([ANALYZER_REVISION, [...STOPWORDS], SYNONYM_GROUPS, TOKEN.source]))
  .digest('hex')
  .slice(0, 16);
