// The metrics panel's two inline SVG charts (no chart library) and its rate tables.
import { pct } from './audit-format.js';
import { el, svg } from './web-common/dom.js';

const WIDTH = 520;

/**
 * Empties `box`; with no data, says `emptyText` and returns null. Otherwise returns an SVG chart
 * `height` high, named by the box's caption (`${name}-caption`) and a description built from `desc`.
 */
function chartFrame(box, items, emptyText, { name, height, desc }) {
  box.replaceChildren();
  if (!items.length) {
    box.append(el('p', {}, emptyText));
    return null;
  }
  return svg(
    'svg',
    {
      viewBox: `0 0 ${WIDTH} ${height}`,
      role: 'img',
      'aria-labelledby': `${name}-caption ${name}-desc`,
      class: 'chart',
    },
    svg('desc', { id: `${name}-desc` }, desc()),
  );
}

const ACCEPTANCE = { H: 200, pad: { l: 36, r: 8, t: 10, b: 40 } };

/** One day's stacked bar (accepted, overridden, no feedback) with its tooltip. */
function dayBar(d, x, w, y) {
  let top = y(0);
  const bar = svg(
    'g',
    {},
    svg('title', {}, `${d.day}: ${d.cards} cards, ${d.accepted} accepted, ${d.overridden} overridden`),
  );
  for (const [value, cls] of [
    [d.accepted, 'accepted'],
    [d.overridden, 'overridden'],
    [d.cards - d.accepted - d.overridden, 'none'],
  ]) {
    if (value <= 0) continue;
    const h = y(0) - y(value);
    top -= h;
    bar.append(svg('rect', { x, y: top, width: w, height: h, class: `bar ${cls}` }));
  }
  return bar;
}

const legend = () =>
  el(
    'ul',
    { class: 'legend' },
    el('li', {}, el('span', { class: 'swatch accepted' }), 'accepted'),
    el('li', {}, el('span', { class: 'swatch overridden' }), 'overridden'),
    el('li', {}, el('span', { class: 'swatch none' }), 'no feedback'),
  );

/** Card outcomes per day, as stacked bars. */
export function acceptanceChart(box, days) {
  const { H, pad } = ACCEPTANCE;
  const total = days.reduce((a, d) => ({ c: a.c + d.cards, a: a.a + d.accepted, o: a.o + d.overridden }), {
    c: 0,
    a: 0,
    o: 0,
  });
  const chart = chartFrame(box, days, 'No cards shown in this period.', {
    name: 'chart-acceptance',
    height: H,
    desc: () => `${days.length} day(s), ${total.c} cards: ${total.a} accepted, ${total.o} overridden.`,
  });
  if (!chart) return;
  const max = Math.max(...days.map((d) => d.cards), 1);
  const bw = (WIDTH - pad.l - pad.r) / days.length;
  const y = (v) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
  chart.append(
    svg('line', { x1: pad.l, x2: WIDTH - pad.r, y1: y(0), y2: y(0), class: 'axis' }),
    svg('text', { x: pad.l - 6, y: y(max) + 4, 'text-anchor': 'end', class: 'tick' }, max),
    svg('text', { x: pad.l - 6, y: y(0) + 4, 'text-anchor': 'end', class: 'tick' }, 0),
  );
  days.forEach((d, i) => {
    const x = pad.l + i * bw + bw * 0.15;
    const w = Math.max(2, bw * 0.7);
    chart.append(dayBar(d, x, w, y));
    if (days.length <= 14 || i % Math.ceil(days.length / 14) === 0) {
      const tick = { x: x + w / 2, y: H - pad.b + 16, 'text-anchor': 'middle', class: 'tick' };
      chart.append(svg('text', tick, d.day.slice(5)));
    }
  });
  box.append(chart, legend());
}

/** Override reasons, as horizontal bars. */
export function reasonsChart(box, reasons) {
  const rowH = 26;
  const labelW = 190;
  const chart = chartFrame(box, reasons, 'No overrides in this period.', {
    name: 'chart-reasons',
    height: reasons.length * rowH + 8,
    desc: () => reasons.map((r) => `${r.reason}: ${r.count}`).join('; '),
  });
  if (!chart) return;
  const max = Math.max(...reasons.map((r) => r.count));
  reasons.forEach((r, i) => {
    const yy = 4 + i * rowH;
    const w = ((WIDTH - labelW - 40) * r.count) / max;
    const label = r.reason.length > 28 ? `${r.reason.slice(0, 27)}…` : r.reason;
    chart.append(
      svg(
        'g',
        {},
        svg('title', {}, `${r.reason}: ${r.count}`),
        svg('text', { x: labelW - 8, y: yy + 16, 'text-anchor': 'end', class: 'label' }, label),
        svg('rect', {
          x: labelW,
          y: yy + 3,
          width: Math.max(2, w),
          height: rowH - 8,
          class: 'bar overridden',
        }),
        svg('text', { x: labelW + w + 6, y: yy + 16, class: 'label' }, r.count),
      ),
    );
  });
  box.append(chart);
}

export function rateTable(caption, keyHeader, rows) {
  const headers = [keyHeader, 'Cards shown', 'Accepted', 'Overridden', 'Acceptance', 'Override'];
  return el(
    'table',
    { class: 'rates' },
    el('caption', {}, caption),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        headers.map((h) => el('th', { scope: 'col' }, h)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((r) =>
        el(
          'tr',
          {},
          el('th', { scope: 'row' }, r.key),
          el('td', {}, r.cards),
          el('td', {}, r.accepted),
          el('td', {}, r.overridden),
          el('td', {}, pct(r.acceptanceRate)),
          el('td', {}, pct(r.overrideRate)),
        ),
      ),
    ),
  );
}
