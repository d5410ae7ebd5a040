// Rounding and number formatting, in one place. Two roundings exist on purpose and must not be swapped:
// they differ only on decimal halves that binary floating point stores just below the half (1.005, 38.05…),
// and each is pinned by what it feeds (score points; text already shown to clinicians and audited).

/**
 * Rounds half away from zero at `digits` decimals. The nudge makes decimal halves that binary floating point
 * stores just below the half (38.05 is 38.04999…) round up as written; it is far below any device precision.
 * Scores and the snapshot use it, so a temperature of 38.05 scores as 38.1.
 */
export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return (Math.sign(x) * Math.round(Math.abs(x) * f * (1 + 1e-12))) / f;
}

/** Math.round at `digits` decimals on the binary value (1.005 → 1): the rounding of displayed numbers. */
export function roundShown(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A number for reasons and summaries: at most `digits` decimals, no trailing ".0". */
export function fmt(x: number, digits = 1): string {
  return String(roundShown(x, digits));
}
