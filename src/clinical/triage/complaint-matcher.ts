// The one matcher for chief-complaint concepts. A concept is a list of phrases written in plain words
// (concepts.ts); the complaint is normalised first (complaint-text.ts), then each phrase is searched for
// and every occurrence is classed as present, negated ("denies chest pain", "chest pain: denied") or
// historical ("h/o MI", "seizure as a child", "mother had a stroke", "confused at baseline").
//
// Phrase syntax: words separated by spaces; "a|b" is either word; a word ending in "*" matches any word it
// starts; "#10" is a whole number of at least 10; ".." lets up to three other words stand between its neighbours. Words of eight letters or more
// also match with one typo (one letter added, dropped, changed or two swapped), so "abdomnial" is found.
//
// Free text is untrusted and only ever raises acuity: a concept that is not found leaves the objective
// rules in charge. Negation and history are read within the clause only (up to a comma, full stop,
// semicolon or "but"), so "no fever but chest pain" still finds chest pain.
import { normaliseComplaint } from './complaint-text.ts';

export type MentionStatus = 'present' | 'negated' | 'historical';

export interface ConceptMatch<C extends string = string> {
  concept: C;
  /** The phrase's words as matched in the normalised complaint ("…" where a gap let other words through). */
  words: string;
  status: MentionStatus;
}

/** One alternative word: a literal, a prefix ("poison*"), or a count ("#10": a whole number of at least 10). */
interface Alt {
  word: string;
  prefix: boolean;
  min?: number;
}
type Slot = { gap: false; alts: Alt[] } | { gap: true };

interface CompiledPhrase {
  slots: Slot[];
}

const BOUNDARY: ReadonlySet<string> = new Set([
  '.',
  ',',
  ';',
  ':',
  '!',
  '?',
  '(',
  ')',
  'but',
  'however',
  'although',
  'though',
  'except',
  'whereas',
  'yet',
]);

/** Words (or word pairs) before a mention that deny it; checked within six words of it. */
const NEGATION_BEFORE = [
  'no',
  'not',
  'nil',
  'denies',
  'denied',
  'deny',
  'denying',
  'without',
  'never',
  'negative',
  'negative for',
  'free of',
  'absence of',
  'no signs of',
  'no evidence of',
  'resolved',
];
/** Words right after a mention that deny it ("chest pain: denied"). */
const NEGATION_AFTER = ['denied', 'negative', 'absent', 'resolved', 'none', 'ruled out'];
const RELATIVES = [
  'mother',
  'mum',
  'mom',
  'father',
  'dad',
  'brother',
  'sister',
  'grandmother',
  'grandfather',
  'grandma',
  'grandad',
  'uncle',
  'aunt',
];
/** A relative's illness or death ("father died of a heart attack") is family history, not today's complaint. */
const RELATIVE_HISTORY = RELATIVES.flatMap((r) => [
  `${r} had`,
  `${r} died of`,
  `${r} died from`,
  `${r} passed away from`,
]);

/** Words before a mention that place it in the past or in someone else. */
const HISTORY_BEFORE = [
  ...RELATIVE_HISTORY,
  'history of',
  'previous',
  'previously',
  'prior history',
  'usual',
  'chronic',
  'longstanding',
  'long standing',
  'family history of',
];
/** Words after a mention that place it in the past or say it is the patient's usual state. */
const HISTORY_AFTER = [
  'years ago',
  'months ago',
  'last year',
  'in the past',
  'as a child',
  'at baseline',
  'is baseline',
  'is her baseline',
  'is his baseline',
  'is their baseline',
  'as usual',
  'for years',
  'since childhood',
  'free for',
  'free since',
  'in remission',
];
/** A negation word followed by one of these is not a denial ("won't stop vomiting"). */
const PSEUDO_NEGATION =
  /^(stop|stopping|settle|settling|improve|improving|better|go|going|help|helping|ease|easing|relieved|responding|resolve|resolving)$/;
const YEAR = /^(19|20)\d\d$/;

const WINDOW_BEFORE = 6;
const WINDOW_AFTER = 4;
const GAP_WORDS = 3;
const FUZZY_MIN = 8;

function compile(phrase: string): CompiledPhrase {
  const slots: Slot[] = phrase
    .trim()
    .split(/\s+/)
    .map((tok) =>
      tok === '..'
        ? { gap: true as const }
        : {
            gap: false as const,
            alts: tok.split('|').map((a): Alt => {
              if (/^#\d+$/.test(a)) return { word: a, prefix: false, min: Number(a.slice(1)) };
              return { word: a.replace(/\*$/, ''), prefix: a.endsWith('*') };
            }),
          },
    );
  return { slots };
}

/** True when a and b differ by at most one insertion, deletion, substitution or adjacent swap. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function wordMatches(token: string, alt: Alt): boolean {
  if (alt.min !== undefined) return /^\d{1,4}$/.test(token) && Number(token) >= alt.min;
  if (alt.prefix) return token.startsWith(alt.word);
  if (token === alt.word) return true;
  return alt.word.length >= FUZZY_MIN && token.length >= FUZZY_MIN - 1 && withinOneEdit(token, alt.word);
}

/** End index (exclusive) of a match of the slots starting at token i, or -1. */
function matchAt(tokens: readonly string[], i: number, slots: readonly Slot[], hits: number[] = []): number {
  let pos = i;
  for (let s = 0; s < slots.length; s++) {
    const slot = slots[s]!;
    if (slot.gap) {
      const next = slots[s + 1];
      if (!next || next.gap) return -1;
      // Try the next word at each allowed distance, never across a clause boundary.
      for (let skip = 0; skip <= GAP_WORDS; skip++) {
        const t = tokens[pos + skip];
        if (t === undefined || BOUNDARY.has(t)) break;
        if (next.alts.some((a) => wordMatches(t, a))) {
          const mark = hits.length;
          const end = matchAt(tokens, pos + skip, slots.slice(s + 1), hits);
          if (end >= 0) return end;
          hits.length = mark;
        }
      }
      return -1;
    }
    const t = tokens[pos];
    if (t === undefined || BOUNDARY.has(t) || !slot.alts.some((a) => wordMatches(t, a))) return -1;
    hits.push(pos);
    pos++;
  }
  return pos;
}

function hasPhrase(words: readonly string[], phrases: readonly string[]): boolean {
  const joined = ` ${words.join(' ')} `;
  return phrases.some((p) => joined.includes(` ${p} `));
}

/** A denial before the mention, unless the denying word only says something did not stop or improve. */
function deniedBefore(words: readonly string[]): boolean {
  for (let k = 0; k < words.length; k++) {
    const rest = words.slice(k);
    if (!NEGATION_BEFORE.some((p) => ` ${rest.join(' ')} `.startsWith(` ${p} `))) continue;
    const next = words[k + 1] === 'will' ? words[k + 2] : words[k + 1];
    if (next !== undefined && PSEUDO_NEGATION.test(next)) continue;
    return true;
  }
  return false;
}

function statusOf(tokens: readonly string[], start: number, end: number): MentionStatus {
  let from = start;
  while (from > 0 && !BOUNDARY.has(tokens[from - 1]!) && start - from < WINDOW_BEFORE) from--;
  // "chest pain: denied" — a colon right after the mention introduces its answer, not a new clause.
  const answerAt = tokens[end] === ':' ? end + 1 : end;
  let to = answerAt;
  while (to < tokens.length && !BOUNDARY.has(tokens[to]!) && to - answerAt < WINDOW_AFTER) to++;
  const before = tokens.slice(from, start);
  const after = tokens.slice(answerAt, to);
  if (deniedBefore(before) || hasPhrase(after, NEGATION_AFTER)) return 'negated';
  if (hasPhrase(before, HISTORY_BEFORE) || hasPhrase(after, HISTORY_AFTER) || after.some((w) => YEAR.test(w)))
    return 'historical';
  return 'present';
}

/**
 * The phrase's own words as matched, with "…" for the words a gap let through: a reason quotes only
 * vocabulary the concept defines, never arbitrary free text (which stays fenced as untrusted data).
 */
function quoted(tokens: readonly string[], hits: readonly number[]): string {
  const out: string[] = [];
  hits.forEach((h, k) => {
    if (k > 0 && h > hits[k - 1]! + 1) out.push('…');
    out.push(tokens[h]!);
  });
  return out.join(' ');
}

export class ConceptMatcher<C extends string> {
  private readonly compiled: Array<{ concept: C; phrases: CompiledPhrase[] }>;

  constructor(concepts: Readonly<Record<C, readonly string[]>>) {
    this.compiled = (Object.entries(concepts) as Array<[C, readonly string[]]>).map(([concept, phrases]) => ({
      concept,
      phrases: phrases.map(compile),
    }));
  }

  /** Every mention of every concept, in the order concepts are listed. */
  mentions(text: string | undefined): Array<ConceptMatch<C>> {
    if (!text) return [];
    const tokens = normaliseComplaint(text).split(' ');
    const out: Array<ConceptMatch<C>> = [];
    for (const { concept, phrases } of this.compiled) {
      for (const p of phrases) {
        for (let i = 0; i < tokens.length; i++) {
          const hits: number[] = [];
          const end = matchAt(tokens, i, p.slots, hits);
          if (end < 0) continue;
          out.push({ concept, words: quoted(tokens, hits), status: statusOf(tokens, i, end) });
        }
      }
    }
    return out;
  }

  /**
   * The concepts the complaint asserts now, each with the words that named it. A concept mentioned both
   * as present and negated ("no chest pain yesterday, chest pain now") counts as present.
   */
  present(text: string | undefined): Map<C, string> {
    const found = new Map<C, string>();
    for (const m of this.mentions(text))
      if (m.status === 'present' && !found.has(m.concept)) found.set(m.concept, m.words);
    return found;
  }
}
