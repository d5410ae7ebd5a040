// The metrics panel: headline figures, the two charts and the rate tables.
import { getJson } from './audit-api.js';
import { acceptanceChart, rateTable, reasonsChart } from './audit-charts.js';
import { filterParams } from './audit-filters.js';
import { ms, pct } from './audit-format.js';
import { byId as $, el } from './web-common/dom.js';

const figure = (term, value) => [el('dt', {}, term), el('dd', {}, value)];

function figures(m) {
  const accepted = m.byService.reduce((a, r) => a + r.accepted, 0);
  const overridden = m.byService.reduce((a, r) => a + r.overridden, 0);
  return [
    figure('Records', String(m.records)),
    figure('Silent-mode records', `${m.silentRecords} (${m.silentCards} cards would have shown)`),
    figure('Cards shown', String(m.cardsShown)),
    figure('Accepted', m.cardsShown ? pct(accepted / m.cardsShown) : '–'),
    figure('Overridden', m.cardsShown ? pct(overridden / m.cardsShown) : '–'),
    figure('Model fallback', `${pct(m.modelFallback.rate)} of ${m.modelFallback.records} model runs`),
    figure(
      'Latency p50 / p95 / p99',
      `${ms(m.latencyMs.p50)} / ${ms(m.latencyMs.p95)} / ${ms(m.latencyMs.p99)}`,
    ),
  ].flat();
}

/** Loads the metrics for the filters (all feedback outcomes), unless `isCurrent()` turns false meanwhile. */
export async function loadMetrics(isCurrent) {
  const p = filterParams();
  p.delete('outcome');
  const m = await getJson(`/metrics?${p}`);
  if (!isCurrent()) return;
  $('figures').replaceChildren(...figures(m));
  acceptanceChart($('chart-acceptance'), m.acceptanceOverTime);
  reasonsChart($('chart-reasons'), m.overrideReasons);
  $('rate-tables').replaceChildren(
    rateTable('Rates by service', 'Service', m.byService),
    rateTable('Rates by card type (finding)', 'Card type', m.byCardType),
  );
}
