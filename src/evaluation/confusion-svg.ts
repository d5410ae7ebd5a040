// The confusion matrix as a small self-contained SVG (reference level down, predicted across).
// Cells on the diagonal are green, over-triage (left of it) amber, under-triage (right) red; the
// shade deepens with the count.
const CELL = 64;
const LEFT = 120;
const TOP = 96;

function fill(r: number, p: number, count: number, max: number): string {
  if (count === 0) return '#f7f7f7';
  const a = 0.25 + 0.75 * (count / Math.max(1, max));
  const rgb = r === p ? '34,139,34' : p < r ? '230,145,0' : '200,30,30';
  return `rgba(${rgb},${a.toFixed(2)})`;
}

export function confusionSvg(confusion: number[][], title: string): string {
  const n = confusion.length;
  const max = Math.max(0, ...confusion.flat());
  const width = Math.max(LEFT + n * CELL + 24, 500);
  const height = TOP + n * CELL + 72;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" role="img" aria-label="${title}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${title}</text>`,
    `<text x="${LEFT + (n * CELL) / 2}" y="${TOP - 36}" text-anchor="middle" font-size="13">predicted level</text>`,
    `<text x="24" y="${TOP + (n * CELL) / 2}" text-anchor="middle" font-size="13" transform="rotate(-90 24 ${TOP + (n * CELL) / 2})">reference level</text>`,
  );
  for (let i = 0; i < n; i++) {
    parts.push(
      `<text x="${LEFT + i * CELL + CELL / 2}" y="${TOP - 10}" text-anchor="middle" font-size="13">${i + 1}</text>`,
      `<text x="${LEFT - 12}" y="${TOP + i * CELL + CELL / 2 + 5}" text-anchor="end" font-size="13">${i + 1}</text>`,
    );
  }
  confusion.forEach((row, r) => {
    row.forEach((count, p) => {
      const x = LEFT + p * CELL;
      const y = TOP + r * CELL;
      parts.push(
        `<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="${fill(r, p, count, max)}" stroke="#999"/>`,
        `<text x="${x + CELL / 2}" y="${y + CELL / 2 + 6}" text-anchor="middle" font-size="17">${count}</text>`,
      );
    });
  });
  const legendY = TOP + n * CELL + 30;
  parts.push(
    `<text x="${LEFT}" y="${legendY}" font-size="12" fill="#333">green: exact · amber: more urgent than the reference</text>`,
    `<text x="${LEFT}" y="${legendY + 18}" font-size="12" fill="#333">red: less urgent than the reference (under-triage)</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
