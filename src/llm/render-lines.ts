// Line formatting for the model input: readings with their tokens and relative times, scores,
// length limits that cut at a word boundary, and redacted one-line free text.
import { fmt } from '../clinical/format.ts';
import type { Assessment, LabKind, Measurement, Score, Series, VitalKind } from '../clinical/types.ts';
import type { EvidenceTokens } from './evidence-tokens.ts';
import { redactText } from './redact.ts';

export interface SeriesDetail {
  /** Earlier readings shown after the latest one. */
  history: number;
}

export const VITAL_LABELS: Record<VitalKind, string> = {
  heartRate: 'heart rate',
  respiratoryRate: 'respiratory rate',
  systolicBP: 'systolic BP',
  diastolicBP: 'diastolic BP',
  temperature: 'temperature',
  spo2: 'SpO2',
  inspiredOxygen: 'FiO2',
  oxygenFlow: 'O2 flow',
  gcs: 'GCS',
  avpu: 'ACVPU',
  pain: 'pain score',
  weight: 'weight',
  height: 'height',
};

const UNIT_LABELS: Record<string, string> = { 'mm[Hg]': 'mmHg', Cel: '°C', '{score}': '', '1': '' };

export function seriesLines<K extends string>(
  all: Partial<Record<K, Series>>,
  labels: Record<K, string>,
  d: SeriesDetail,
  ev: EvidenceTokens,
  ago: (iso?: string) => string | undefined,
): string[] {
  const lines: string[] = [];
  for (const [kind, series] of Object.entries(all) as Array<[K, Series | undefined]>) {
    const latest = series?.latest;
    if (!latest) continue;
    const token = ev.tokenFor(latest.source);
    const previous = (series.history ?? []).filter((m) => !m.implausible).slice(0, d.history);
    const prev = previous.map(
      (m) => `${readingValue(m)} (${[ev.tokenFor(m.source), ago(m.at)].filter(Boolean).join(', ')})`,
    );
    lines.push(
      `- ${token} ${labels[kind] ?? kind} ${readingValue(latest)}${unitOf(latest)}${latest.onOxygen ? ' on oxygen' : ''}, ${ago(latest.at) ?? 'time unknown'}${prev.length ? `; before: ${prev.join('; ')}` : ''}`,
    );
  }
  return lines;
}

export function labLabels(labs: Partial<Record<LabKind, Series>>): Record<LabKind, string> {
  return Object.fromEntries(
    Object.keys(labs).map((k) => [k, k === 'egfr' ? 'eGFR' : k === 'inr' ? 'INR' : k === 'wbc' ? 'WBC' : k]),
  ) as Record<LabKind, string>;
}

function readingValue(m: Measurement): string {
  if (m.code) return m.code;
  return fmt(m.value, 2);
}

function unitOf(m: Measurement): string {
  if (m.code) return '';
  const u = UNIT_LABELS[m.unit] ?? m.unit;
  return u ? ` ${u}` : '';
}

export function scoreLine(scores: Assessment['scores']): string {
  const names: Record<string, string> = {
    news2: 'NEWS2',
    qsofa: 'qSOFA',
    sirs: 'SIRS',
    shockIndex: 'shock index',
    cha2ds2vasc: 'CHA2DS2-VASc',
    egfr: 'eGFR',
    dangerZone: 'ESI danger-zone vitals',
  };
  return (Object.entries(scores) as Array<[string, Score | undefined]>)
    .filter((e): e is [string, Score] => e[1] !== undefined)
    .map(([k, sc]) => {
      if (sc.total === null) return `${names[k] ?? k} n/a`;
      const parts = Object.entries(sc.components)
        .filter(([, v]) => v !== 0)
        .map(([c, v]) => `${c} ${fmt(v, 2)}`);
      return `${names[k] ?? k} ${fmt(sc.total, 2)}${sc.band ? ` ${sc.band}` : ''}${parts.length ? ` (${parts.join(', ')})` : ''}`;
    })
    .join('; ');
}

export function newestFirst<T>(items: T[], at: (x: T) => string | undefined): T[] {
  return [...items].sort((x, y) => (Date.parse(at(y) ?? '') || 0) - (Date.parse(at(x) ?? '') || 0));
}

export function more(out: string[], hidden: number, what: string): void {
  if (hidden > 0) out.push(`- (+${hidden} more ${what} not shown)`);
}

export function oneLine(text: string, max: number): string {
  return truncateAtWord(text.replace(/\s+/g, ' ').trim(), max);
}

export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/**
 * Redacted, one-line, at most `max` characters. Long text is cut to about twice the limit before
 * redaction (redacting megabytes of notes would eat the hook's budget); the last words before
 * such a cut are dropped, since an identifier cut in half is no longer recognisable.
 */
export function cleanText(text: string, max: number, terms?: readonly string[]): string {
  const limit = max * 2 + 40;
  if (text.length <= limit) return oneLine(redactText(text, { terms }), max);
  const cut = text.slice(0, limit);
  const space = cut.search(/\s\S*$/);
  const head = (space > max ? cut.slice(0, space) : cut).replace(/(?:\s+\S+){1,3}\s*$/, '');
  return oneLine(`${redactText(head, { terms })} …`, max);
}
