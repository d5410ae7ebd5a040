// How the auditor page prints numbers and times.
export const pct = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 1000) / 10} %`);

export const ms = (x) => (x === null || x === undefined ? '–' : `${Math.round(x)} ms`);

export const when = (iso) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
};
