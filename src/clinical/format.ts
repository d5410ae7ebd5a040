// Number formatting for reasons and summaries: at most one decimal, no trailing ".0".
export function fmt(x: number, digits = 1): string {
  const f = 10 ** digits;
  return String(Math.round(x * f) / f);
}
