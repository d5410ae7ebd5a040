// Streams the whole trail for export, entry by entry, so a large trail never sits in memory.
import { canonicalJson } from './canonical-json.ts';
import {
  feedbackToAuditEvent,
  provenanceFullUrl,
  recordFullUrl,
  recordToAuditEvent,
  recordToProvenance,
} from './fhir-export.ts';
import type { AuditEntry } from './types.ts';

export const EXPORT_FORMATS = ['ndjson', 'fhir'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  fhir: 'application/fhir+json; charset=utf-8',
};

/** One canonical JSON entry per line: `hash` = SHA-256 of the line's canonical JSON without `hash`. */
export async function* ndjsonLines(entries: AsyncIterable<AuditEntry>): AsyncIterable<string> {
  for await (const entry of entries) yield `${canonicalJson(entry)}\n`;
}

/** A FHIR R4 Bundle (type collection) of AuditEvent and Provenance resources, as text chunks. */
export async function* fhirBundleChunks(
  entries: AsyncIterable<AuditEntry>,
  now = new Date(),
): AsyncIterable<string> {
  yield `{"resourceType":"Bundle","type":"collection","timestamp":${JSON.stringify(now.toISOString())},"entry":[`;
  let first = true;
  const emit = (fullUrl: string, resource: unknown) => {
    const text = `${first ? '' : ','}\n${JSON.stringify({ fullUrl, resource })}`;
    first = false;
    return text;
  };
  for await (const entry of entries) {
    if (entry.kind === 'record') {
      yield emit(recordFullUrl(entry), recordToAuditEvent(entry));
      yield emit(provenanceFullUrl(entry), recordToProvenance(entry));
    } else {
      yield emit(`urn:uuid:${entry.id}`, feedbackToAuditEvent(entry));
    }
  }
  yield '\n]}\n';
}

export function exportChunks(
  format: ExportFormat,
  entries: AsyncIterable<AuditEntry>,
): AsyncIterable<string> {
  return format === 'fhir' ? fhirBundleChunks(entries) : ndjsonLines(entries);
}
