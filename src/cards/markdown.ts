// Small Markdown helpers for card details. Text from FHIR or a model is escaped so it can never
// inject links, images or HTML into the EHR's card renderer.
import type { Citation } from '../clinical/types.ts';

const SPECIAL = /[\\`*_{}[\]()#+!|<>~]/g;

// URL- and e-mail-shaped text would be auto-linked by GitHub-Flavored Markdown even when escaped.
const LINKISH = /\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+/gi;

/** Text from FHIR or a model, made inert: no links, images, HTML, headings or line breaks. */
export function escapeMarkdown(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters never reach a card
  const flat = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  let out = '';
  let last = 0;
  for (const m of flat.matchAll(LINKISH)) {
    out += flat.slice(last, m.index).replace(SPECIAL, (c) => `\\${c}`);
    // A code span is never auto-linked; backticks inside it are dropped.
    out += `\`${m[0].replace(/`/g, '')}\``;
    last = m.index + m[0].length;
  }
  return out + flat.slice(last).replace(SPECIAL, (c) => `\\${c}`);
}

/** One line per citation: the exact quote, then where it comes from, linked. */
export function citationMarkdown(c: Citation): string {
  return `> ${escapeMarkdown(c.quote)}\n>\n> — [${escapeMarkdown(c.title)}](${c.url}) (${escapeMarkdown(c.issuer)}, ${c.year}), section "${escapeMarkdown(c.section)}"`;
}

/**
 * A card summary is plain text (CDS Hooks): HTML-like tags, control characters and Markdown link
 * syntax from resource text are removed rather than escaped, since nothing renders them.
 */
export function plainText(s: string): string {
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
      .replace(/<\/?[A-Za-z!?][^>]*>?/g, ' ')
      .replace(/\[([^\]]*)\]\([^)]*\)?/g, '$1')
      .replace(/\b(?:javascript|data|vbscript):/gi, '')
  );
}

/** Plain text, shortened to fewer than 140 characters at a word boundary (the spec's summary limit). */
export function summaryText(s: string, max = 139): string {
  const clean = plainText(s).replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const at = cut.lastIndexOf(' ');
  return `${(at > 60 ? cut.slice(0, at) : cut).replace(/[\s,;:.]+$/, '')}…`;
}
