// The untrusted-data fence around free text. Text inside cannot imitate the markers: it is
// NFKC-normalised, invisible format characters are removed, lookalike angle brackets become plain
// ones and runs of them collapse, and the marker words are neutralised even when spelt with
// lookalike letters or split by separators. The nonce on both marker lines is an HMAC under a
// secret drawn when the process starts, so a note cannot know (or precompute) the closing line.
import { createHmac, randomBytes } from 'node:crypto';

export const UNTRUSTED_OPEN = '<<<UNTRUSTED DATA';
export const UNTRUSTED_CLOSE = 'UNTRUSTED DATA>>>';

const NONCE_KEY = randomBytes(32);

const LEFT_ANGLES =
  /[\u2039\u00ab\u3008\u27e8\u276e\u276c\u02c2\u1438\u29fc\u2329\u22d6\u2991\u2997\u226a\u22d8]/gu;
const RIGHT_ANGLES =
  /[\u203a\u00bb\u3009\u27e9\u276f\u276d\u02c3\u1433\u29fd\u232a\u22d7\u2992\u2998\u226b\u22d9]/gu;
// Format characters (zero-width, bidi controls) and variation selectors: invisible in a prompt.
const INVISIBLE = /[\p{Cf}\p{Variation_Selector}]/gu;

// Cross-script letters that look like the Latin letters of "UNTRUSTED DATA".
const CONFUSABLES: Record<string, string> = {
  А: 'A',
  а: 'A',
  Α: 'A',
  α: 'A',
  Ꭺ: 'A',
  Ⲁ: 'A',
  Ԁ: 'D',
  ԁ: 'D',
  Ꭰ: 'D',
  ᗪ: 'D',
  ᴅ: 'D',
  Е: 'E',
  е: 'E',
  Ε: 'E',
  ε: 'E',
  Ꭼ: 'E',
  ᴇ: 'E',
  Ν: 'N',
  ν: 'N',
  ո: 'N',
  ɴ: 'N',
  Ꮢ: 'R',
  ʀ: 'R',
  г: 'R',
  Ѕ: 'S',
  ѕ: 'S',
  Ꮪ: 'S',
  ꜱ: 'S',
  Т: 'T',
  т: 'T',
  Τ: 'T',
  τ: 'T',
  Ꭲ: 'T',
  ᴛ: 'T',
  Ս: 'U',
  ս: 'U',
  υ: 'U',
  ᴜ: 'U',
  '∪': 'U',
};

const MARKER_WORDS = 'UNTRUSTEDDATA';
const MARKER_REMOVED = '(fence marker removed)';

/** Text as a model would read it: compatibility forms folded, invisible characters gone, one kind of angle bracket. */
export function normaliseUntrusted(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(LEFT_ANGLES, '<')
    .replace(RIGHT_ANGLES, '>')
    .replace(/<{2,}/g, '<')
    .replace(/>{2,}/g, '>');
}

/** Replaces every spelling of the marker words (lookalike letters, any separators). */
function neutraliseMarkerWords(text: string): string {
  // Letters only, upper-cased and de-confused, with the index of each in the original text.
  let skeleton = '';
  const at: number[] = [];
  let i = 0;
  for (const ch of text) {
    const mapped = CONFUSABLES[ch] ?? (/\p{L}/u.test(ch) ? ch.toUpperCase() : '');
    if (mapped.length === 1) {
      skeleton += mapped;
      at.push(i);
    }
    i += ch.length;
  }
  const spans: Array<[number, number]> = [];
  for (let k = skeleton.indexOf(MARKER_WORDS); k >= 0; k = skeleton.indexOf(MARKER_WORDS, k + 1)) {
    const end = at[k + MARKER_WORDS.length - 1]!;
    spans.push([at[k]!, end + (text.codePointAt(end)! > 0xffff ? 2 : 1)]);
  }
  let out = text;
  for (const [from, to] of spans.reverse()) out = `${out.slice(0, from)}${MARKER_REMOVED}${out.slice(to)}`;
  return out;
}

/** Wraps text in the untrusted-data fence; the markers cannot be forged from inside. */
export function fence(text: string): string {
  const neutral = neutraliseMarkerWords(normaliseUntrusted(text));
  const nonce = createHmac('sha256', NONCE_KEY).update(neutral).digest('hex').slice(0, 16);
  return `${UNTRUSTED_OPEN} ${nonce}\n${neutral}\n${UNTRUSTED_CLOSE} ${nonce}`;
}
