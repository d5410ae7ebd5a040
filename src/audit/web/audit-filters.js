// The filter form: its yes/no choices, and its values as the API's query parameters.
import { byId as $, el } from './web-common/dom.js';

/** Fills each `select[data-yes]` with any / yes / no, labelled from its data-yes and data-no. */
export function fillYesNoChoices(form) {
  for (const select of form.querySelectorAll('select[data-yes]')) {
    select.replaceChildren(
      el('option', { value: '' }, 'any'),
      el('option', { value: 'true' }, select.dataset.yes),
      el('option', { value: 'false' }, select.dataset.no),
    );
  }
}

export function filterParams() {
  const p = new URLSearchParams();
  for (const [k, v] of new FormData($('filters')).entries()) {
    const value = String(v).trim();
    if (!value) continue;
    if (k === 'from') p.set('from', `${value}T00:00:00Z`);
    else if (k === 'to') {
      // The date input is inclusive; the API's `to` is exclusive.
      const d = new Date(`${value}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + 1);
      p.set('to', d.toISOString());
    } else p.set(k, value);
  }
  return p;
}
