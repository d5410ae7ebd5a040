// A small trend chart per vital sign, as inline SVG (no library). Danger-zone readings are drawn as
// larger, filled squares so the highlight does not rely on colour alone.
import { svg } from './web-common/dom.js';

const WIDTH = 160;
const HEIGHT = 40;
const PAD = 5;

/** points: [{ value, at, danger }] oldest first. */
export function trendChart(label, unit, points) {
  const chart = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    width: WIDTH,
    height: HEIGHT,
    role: 'img',
    class: 'trend',
  });
  const title = svg('title', {});
  if (points.length === 0) {
    title.textContent = `${label}: no readings`;
    chart.append(title);
    return chart;
  }
  const values = points.map((p) => p.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const x = (i) => (points.length === 1 ? WIDTH / 2 : PAD + (i * (WIDTH - 2 * PAD)) / (points.length - 1));
  const y = (v) => HEIGHT - PAD - ((v - min) / span) * (HEIGHT - 2 * PAD);
  const first = points[0];
  const last = points[points.length - 1];
  title.textContent =
    `${label} trend: ${points.length} reading${points.length === 1 ? '' : 's'}, ` +
    `from ${first.value} ${unit} to ${last.value} ${unit}, range ${min}–${max} ${unit}`;
  chart.append(title);
  if (points.length > 1) {
    chart.append(
      svg('polyline', {
        points: points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' '),
        fill: 'none',
        class: 'trend-line',
      }),
    );
  }
  points.forEach((p, i) => {
    if (p.danger) {
      chart.append(
        svg('rect', { x: x(i) - 3.5, y: y(p.value) - 3.5, width: 7, height: 7, class: 'trend-danger' }),
      );
    } else {
      chart.append(svg('circle', { cx: x(i), cy: y(p.value), r: 2.5, class: 'trend-point' }));
    }
  });
  return chart;
}
