// The records table: one row per decision record, newest first, fifty at a time.
import { getJson } from './audit-api.js';
import { filterParams } from './audit-filters.js';
import { ms, when } from './audit-format.js';
import { byId as $, el } from './web-common/dom.js';

let nextCursor;

function outcomeText(r) {
  if (r.silent) return 'not shown (silent)';
  const parts = [];
  if (r.accepted) parts.push(`${r.accepted} accepted`);
  if (r.overridden) parts.push(`${r.overridden} overridden`);
  return parts.length ? parts.join(', ') : 'none';
}

function recordRow(r, open) {
  const button = el('button', { type: 'button', class: 'link' }, when(r.time));
  button.addEventListener('click', () => open(r.id));
  const flags = [
    r.silent ? el('span', { class: 'tag silent' }, 'silent') : null,
    r.fallback ? el('span', { class: 'tag fallback' }, 'fallback') : null,
    r.errorCount ? el('span', { class: 'tag error' }, `${r.errorCount} error(s)`) : null,
  ];
  return el(
    'tr',
    { 'data-id': r.id },
    el('td', {}, button),
    el('td', {}, r.service),
    el('td', {}, r.patient || '–'),
    el('td', {}, r.user || '–'),
    el('td', {}, r.model || (r.llmStatus === 'disabled' ? 'none' : '–')),
    el('td', {}, r.cardCount),
    el('td', {}, outcomeText(r)),
    el('td', {}, ms(r.totalMs)),
    el('td', {}, flags),
  );
}

export const recordsBody = () => $('records').tBodies[0];

/**
 * Loads the first page (or, with `append`, the next one) into the table. `isCurrent` says whether
 * the answer is still wanted: a later filter change makes it stale. `open(id)` shows a record.
 */
export async function loadRecords(append, isCurrent, open) {
  const p = filterParams();
  p.set('limit', '50');
  if (append && nextCursor) p.set('cursor', nextCursor);
  const page = await getJson(`/records?${p}`);
  if (!isCurrent()) return;
  const body = recordsBody();
  if (!append) body.replaceChildren();
  for (const r of page.records) body.append(recordRow(r, open));
  nextCursor = page.nextCursor;
  $('more').hidden = !nextCursor;
  $('records-empty').hidden = body.rows.length > 0;
}
