// A small trend chart per vital sign, as inline SVG (no library). Danger-zone readings are drawn as
// larger, filled squares so the highlight does not rely on colour alone.
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 160;
const HEIGHT = 40;
const PAD = 5;

function svgEl(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** points: [{ value, at, danger }] oldest first. */
export function trendChart(label, unit, points) {
  const svg = svgEl('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    width: WIDTH,
    height: HEIGHT,
    role: 'img',
    class: 'trend',
  });
  const title = svgEl('title', {});
  if (points.length === 0) {
    title.textContent = `${label}: no readings`;
    svg.append(title);
    return svg;
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
  svg.append(title);
  if (points.length > 1) {
    svg.append(
      svgEl('polyline', {
        points: points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' '),
        fill: 'none',
        class: 'trend-line',
      }),
    );
  }
  points.forEach((p, i) => {
    if (p.danger) {
      svg.append(
        svgEl('rect', { x: x(i) - 3.5, y: y(p.value) - 3.5, width: 7, height: 7, class: 'trend-danger' }),
      );
    } else {
      svg.append(svgEl('circle', { cx: x(i), cy: y(p.value), r: 2.5, class: 'trend-point' }));
    }
  });
  return svg;
}
