// Small Markdown helpers for card details. Text from FHIR or a model is escaped so it can never
// inject links, images or HTML into the EHR's card renderer.
import type { Citation } from '../clinical/types.ts';

const SPECIAL = /[\\`*_{}[\]()#+!|<>~]/g;

export function escapeMarkdown(s: string): string {
  return s.replace(SPECIAL, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** One line per citation: the exact quote, then where it comes from, linked. */
export function citationMarkdown(c: Citation): string {
  return `> ${escapeMarkdown(c.quote)}\n>\n> — [${escapeMarkdown(c.title)}](${c.url}) (${escapeMarkdown(c.issuer)}, ${c.year}), section "${escapeMarkdown(c.section)}"`;
}

/** Shortens to fewer than 140 characters at a word boundary (the spec's summary limit). */
export function summaryText(s: string, max = 139): string {
  const clean = s.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const at = cut.lastIndexOf(' ');
  return `${(at > 60 ? cut.slice(0, at) : cut).replace(/[\s,;:.]+$/, '')}…`;
}
