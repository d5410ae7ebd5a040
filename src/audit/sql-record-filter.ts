// The record filter of the auditor API as SQL (`?` placeholders), and its page cursors. Shared by the
// SQLite and PostgreSQL stores through SqlAuditReader.
import type { AuditRecordFilter } from './types.ts';

/** A filter value the store cannot use (bad time, cursor or limit): the API answers 400. */
export class InvalidFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFilterError';
  }
}

function parseTime(iso: string, name: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new InvalidFilterError(`${name} is not an ISO-8601 time`);
  return ms;
}

export function encodeCursor(seq: number): string {
  return Buffer.from(`s${seq}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^s(\d{1,15})$/.exec(text);
  if (!m) throw new InvalidFilterError('cursor is not valid');
  return Number(m[1]);
}

/** WHERE clause (alias `e`) over record rows for a filter; the outcome test uses feedback rows. */
export function recordWhere(filter: AuditRecordFilter): { sql: string; params: unknown[] } {
  const parts = ["e.kind = 'record'"];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    parts.push(sql);
    params.push(...values);
  };
  if (filter.from) add('e.time_ms >= ?', parseTime(filter.from, 'from'));
  if (filter.to) add('e.time_ms < ?', parseTime(filter.to, 'to'));
  if (filter.service) add('e.service = ?', filter.service);
  if (filter.patient) {
    const ref = filter.patient.includes('/') ? filter.patient : `Patient/${filter.patient}`;
    add('e.patient = ?', ref);
  }
  if (filter.model) add('e.model = ?', filter.model);
  if (filter.fallback !== undefined) add('e.fallback = ?', filter.fallback ? 1 : 0);
  if (filter.silent !== undefined) add('e.silent = ?', filter.silent ? 1 : 0);
  if (filter.cursor) add('e.seq < ?', decodeCursor(filter.cursor));
  const feedbackOf = "SELECT 1 FROM audit_entries f WHERE f.kind = 'feedback' AND f.record_id = e.id";
  // As in the metrics, a card's latest feedback decides its outcome: no later feedback on that card.
  const latest = `NOT EXISTS (SELECT 1 FROM audit_entries g WHERE g.kind = 'feedback' AND g.record_id = e.id
    AND g.card_id = f.card_id AND g.seq > f.seq)`;
  if (filter.outcome === 'none') parts.push(`NOT EXISTS (${feedbackOf})`);
  else if (filter.outcome) add(`EXISTS (${feedbackOf} AND f.outcome = ? AND ${latest})`, filter.outcome);
  return { sql: parts.join(' AND '), params };
}
