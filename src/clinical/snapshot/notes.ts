// Clinical notes: DocumentReference text (inline base64 or plain text attachments). Always untrusted.
import type { DocumentReference } from '@medplum/fhirtypes';
import type { NoteFact } from '../types.ts';
import { refOf, timeOf } from './fhir-read.ts';

/** Cap on one note's text: the snapshot carries context, not whole charts. */
export const MAX_NOTE_CHARS = 20_000;

export function noteFact(d: DocumentReference, atMs: number): NoteFact | undefined {
  const source = refOf(d);
  if (!source || d.status === 'entered-in-error' || d.docStatus === 'entered-in-error') return undefined;
  const t = timeOf(d.date ?? d.context?.period?.start);
  if (!Number.isNaN(t) && t > atMs) return undefined;
  const parts: string[] = [];
  for (const c of d.content ?? []) {
    const a = c.attachment;
    if (!a?.data) continue;
    const ct = (a.contentType ?? 'text/plain').toLowerCase();
    if (!ct.startsWith('text/')) continue;
    const text = decodeBase64(a.data).trim();
    if (text !== '') parts.push(text);
  }
  if (parts.length === 0) return undefined;
  const text = parts.join('\n\n').slice(0, MAX_NOTE_CHARS);
  return { source, text, untrusted: true, ...(Number.isNaN(t) ? {} : { date: new Date(t).toISOString() }) };
}

// atob + TextDecoder rather than Buffer: the clinical core also runs in the browser.
function decodeBase64(data: string): string {
  try {
    const bin = atob(data.replace(/\s+/g, ''));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TextDecoder().decode(bytes);
  } catch {
    return '';
  }
}
