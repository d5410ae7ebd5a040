// Prints CDS cards for a terminal: indicator, summary, source, citations (pulled out of the
// detail's block quotes), suggestions and links.
import { z } from 'zod';

const cardSchema = z.looseObject({
  summary: z.string(),
  indicator: z.string(),
  detail: z.string().optional(),
  source: z.looseObject({ label: z.string(), url: z.string().optional() }),
  suggestions: z
    .array(
      z.looseObject({
        label: z.string(),
        isRecommended: z.boolean().optional(),
        actions: z.array(z.looseObject({ type: z.string(), description: z.string() })).optional(),
      }),
    )
    .optional(),
  links: z.array(z.looseObject({ label: z.string(), url: z.string(), type: z.string() })).optional(),
});
export const cardsResponseSchema = z.object({ cards: z.array(cardSchema) });
export type PrintableCard = z.infer<typeof cardSchema>;

const unescapeMarkdown = (s: string) => s.replace(/\\([\\`*_{}[\]()#+!|<>~])/g, '$1');

/** Citations are block quotes: the quote, then a "— [title](url) (issuer, year)" line. */
function citationsFromDetail(detail: string | undefined): Array<{ quote: string; source: string }> {
  if (!detail) return [];
  const out: Array<{ quote: string; source: string }> = [];
  for (const block of detail.split(/\n{2,}/)) {
    const lines = block
      .split('\n')
      .filter((l) => l.startsWith('>'))
      .map((l) => l.replace(/^>\s?/, ''))
      .filter(Boolean);
    if (lines.length < 2) continue;
    const sourceLine = lines.find((l) => l.startsWith('—'));
    if (!sourceLine) continue;
    const quote = unescapeMarkdown(lines.filter((l) => l !== sourceLine).join(' '));
    const source = unescapeMarkdown(
      sourceLine.replace(/^—\s*/, '').replace(/\[([^\]]+)\]\(([^)]+)\)/, '$1 <$2>'),
    );
    out.push({ quote, source });
  }
  return out;
}

const LABEL: Record<string, string> = { critical: 'CRITICAL', warning: 'WARNING ', info: 'INFO    ' };

export function formatCard(card: PrintableCard, indent = '    '): string {
  const lines = [`${indent}[${LABEL[card.indicator] ?? card.indicator.toUpperCase()}] ${card.summary}`];
  const pad = `${indent}    `;
  lines.push(`${pad}source: ${card.source.label}${card.source.url ? ` <${card.source.url}>` : ''}`);
  for (const c of citationsFromDetail(card.detail))
    lines.push(`${pad}cites: “${c.quote}”`, `${pad}       — ${c.source}`);
  for (const s of card.suggestions ?? []) {
    const actions = (s.actions ?? []).map((a) => `${a.type}: ${a.description}`).join('; ');
    lines.push(
      `${pad}suggestion: ${s.label}${s.isRecommended ? ' (recommended)' : ''}${actions ? ` [${actions}]` : ''}`,
    );
  }
  for (const l of card.links ?? []) lines.push(`${pad}link (${l.type}): ${l.label} <${l.url}>`);
  return lines.join('\n');
}
