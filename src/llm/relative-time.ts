// Relative times ("2 h ago") instead of dates: exact dates are identifiers under Safe Harbor.

export function relativeTime(iso: string | undefined, asOfIso: string): string | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  const now = Date.parse(asOfIso);
  if (Number.isNaN(t) || Number.isNaN(now)) return undefined;
  const diff = now - t;
  const span = Math.abs(diff);
  const minute = 60_000;
  const hour = 60 * minute;
  const day = 24 * hour;
  let amount: string;
  if (span < minute) return 'just now';
  if (span < hour) amount = `${Math.round(span / minute)} min`;
  else if (span < 48 * hour) amount = `${Math.round(span / hour)} h`;
  else if (span < 60 * day) amount = `${Math.round(span / day)} d`;
  else if (span < 730 * day) amount = `${Math.round(span / (30.44 * day))} mo`;
  else {
    // A time 90 or more years back tells an age over 89, itself an identifier: capped like ages.
    const years = Math.floor(span / (365.25 * day));
    amount = years >= 90 ? '90+ y' : `${years} y`;
  }
  return diff >= 0 ? `${amount} ago` : `in ${amount}`;
}

/** Age as the model sees it: capped at 90+, months under 2 years. */
export function ageLabel(ageYears: number | null, ageMonths: number | null): string {
  if (ageYears === null) return 'age unknown';
  if (ageYears >= 90) return '90+ y';
  if (ageYears < 2 && ageMonths !== null) return `${ageMonths} mo`;
  return `${ageYears} y`;
}
