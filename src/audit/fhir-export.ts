// Maps chain entries to FHIR R4: a decision record becomes an AuditEvent (what was queried, by
// whom, about which patient) plus a Provenance (which software and model produced the cards, from
// which resources and guideline passages); a feedback event becomes an AuditEvent of its own.
import { createHash } from 'node:crypto';
import type {
  AuditEvent,
  AuditEventAgent,
  AuditEventEntity,
  AuditEventEntityDetail,
  Device,
  Provenance,
  Reference,
} from '@medplum/fhirtypes';
import {
  AUDIT_ENTITY_TYPE,
  AUDIT_EVENT_TYPE,
  CITECARE,
  DICOM,
  OBJECT_ROLE,
  PROVENANCE_PARTICIPANT,
  SECURITY_SOURCE_TYPE,
} from './codes.ts';
import { cardUuid } from './metrics.ts';
import type { AuditRecord, FeedbackEvent } from './types.ts';

const REFERENCE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;

function instant(iso: string): string {
  return new Date(iso).toISOString();
}

/** A stable uuid derived from a name, for fullUrls of resources that have no uuid of their own. */
function derivedUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function recordFullUrl(record: Pick<AuditRecord, 'id'>): string {
  return `urn:uuid:${record.id}`;
}

export function provenanceFullUrl(record: Pick<AuditRecord, 'id'>): string {
  return `urn:uuid:${derivedUuid(`${record.id}:provenance`)}`;
}

// biome-ignore lint/suspicious/noExplicitAny: a Reference to whichever resource type the string names
function who(user: string | undefined): Reference<any> | undefined {
  if (!user) return undefined;
  return REFERENCE.test(user) ? { reference: user } : { display: user };
}

function details(pairs: Array<[string, unknown]>): AuditEventEntityDetail[] {
  // FHIR strings need non-whitespace content: a blank comment is left out, not exported invalid.
  return pairs
    .filter(([, v]) => v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === ''))
    .map(([type, v]) => ({ type, valueString: typeof v === 'string' ? v : JSON.stringify(v) }));
}

/** "missing: …" entries note data the patient record lacked; they are not failures of the service. */
function realErrors(record: Pick<AuditRecord, 'errors'>): string[] {
  return (record.errors ?? []).filter((e) => !/^missing:/i.test(e));
}

/** When the entry was written; records from before `writtenAt` existed fall back to their own time. */
function recordedAt(entry: { time?: string; writtenAt?: string; receivedAt?: string }): string {
  return instant(entry.writtenAt ?? entry.receivedAt ?? entry.time ?? '');
}

function userAgent(user: string | undefined): AuditEventAgent {
  const ref = who(user);
  return ref ? { who: ref, requestor: true } : { name: 'unknown user', requestor: true };
}

const SOURCE = {
  observer: { display: CITECARE.software },
  type: [{ system: SECURITY_SOURCE_TYPE.system, ...SECURITY_SOURCE_TYPE.applicationServer }],
};

function outcomeDescription(record: AuditRecord): string {
  const parts = [
    record.silent
      ? `silent mode: ${record.cards.length} card(s) would have been shown`
      : `${record.cards.length} card(s) returned`,
  ];
  if (record.llm) parts.push(`model status ${record.llm.status}`);
  if (record.fallback) parts.push('deterministic fallback');
  const errors = realErrors(record).length;
  const notes = record.errors.length - errors;
  if (errors) parts.push(`${errors} error(s)`);
  if (notes) parts.push(`${notes} missing-data note(s)`);
  return parts.join('; ');
}

export function recordToAuditEvent(record: AuditRecord): AuditEvent {
  const entity: AuditEventEntity[] = [];
  if (record.patient) {
    entity.push({
      what: who(record.patient),
      type: { system: AUDIT_ENTITY_TYPE.system, ...AUDIT_ENTITY_TYPE.person },
      role: { system: OBJECT_ROLE.system, ...OBJECT_ROLE.patient },
    });
  }
  for (const r of record.resources) {
    const versioned = r.versionId ? `${r.ref}/_history/${r.versionId}` : r.ref;
    entity.push({
      what: REFERENCE.test(r.ref) ? { reference: versioned } : { display: r.ref },
      type: { system: AUDIT_ENTITY_TYPE.system, ...AUDIT_ENTITY_TYPE.systemObject },
      role: { system: OBJECT_ROLE.system, ...OBJECT_ROLE.domainResource },
      ...(r.lastUpdated ? { detail: details([['lastUpdated', r.lastUpdated]]) } : {}),
    });
  }
  entity.push({
    what: { identifier: { system: CITECARE.auditRecord, value: record.id } },
    type: { system: AUDIT_ENTITY_TYPE.system, ...AUDIT_ENTITY_TYPE.systemObject },
    role: { system: OBJECT_ROLE.system, ...OBJECT_ROLE.job },
    name: `CiteCare decision record ${record.seq}`,
    detail: details([
      ['seq', String(record.seq)],
      ['hash', record.hash],
      ['prevHash', record.prevHash],
      ['hookInstance', record.hookInstance],
      ['snapshotHash', record.snapshotHash],
      ['silent', String(record.silent)],
      ['cardIds', record.cardIds.join(',')],
    ]),
  });
  const total = record.timings?.total;
  return {
    resourceType: 'AuditEvent',
    id: record.id,
    type: { system: DICOM.system, ...DICOM.query },
    subtype: [{ system: CITECARE.hookSystem, code: record.hook, display: record.service }],
    action: 'E',
    ...(typeof total === 'number'
      ? {
          period: {
            start: instant(record.time),
            end: new Date(Date.parse(record.time) + Math.round(total)).toISOString(),
          },
        }
      : {}),
    recorded: recordedAt(record),
    outcome: realErrors(record).length ? '4' : '0',
    outcomeDesc: outcomeDescription(record),
    agent: [
      userAgent(record.user),
      { who: { display: CITECARE.software }, name: CITECARE.software, requestor: false },
    ],
    source: { site: record.service, ...SOURCE },
    entity,
  };
}

export function recordToProvenance(record: AuditRecord): Provenance {
  const contained: Device[] = [
    {
      resourceType: 'Device',
      id: 'citecare',
      deviceName: [{ name: CITECARE.software, type: 'user-friendly-name' }],
    },
  ];
  const agent: Provenance['agent'] = [
    {
      type: { coding: [{ system: PROVENANCE_PARTICIPANT.system, ...PROVENANCE_PARTICIPANT.assembler }] },
      who: { reference: '#citecare', display: CITECARE.software },
    },
  ];
  const llm = record.llm;
  if (llm?.model) {
    contained.push({
      resourceType: 'Device',
      id: 'model',
      deviceName: [{ name: llm.model, type: 'model-name' }],
      ...(llm.provider ? { manufacturer: llm.provider } : {}),
      ...(llm.prompt ? { version: [{ value: `prompt ${llm.prompt.id}@${llm.prompt.version}` }] } : {}),
    });
    agent.push({
      type: { coding: [{ system: PROVENANCE_PARTICIPANT.system, ...PROVENANCE_PARTICIPANT.author }] },
      who: { reference: '#model', display: llm.model },
    });
  }
  const target: Reference[] = [{ reference: recordFullUrl(record) }];
  for (const card of record.cards) {
    const uuid = cardUuid(card);
    const summary = (card as { summary?: unknown }).summary;
    if (uuid) {
      target.push({
        identifier: { system: CITECARE.card, value: uuid },
        ...(typeof summary === 'string' ? { display: summary } : {}),
      });
    }
  }
  const entity: Provenance['entity'] = [
    ...record.resources
      .filter((r) => REFERENCE.test(r.ref))
      .map((r) => ({
        role: 'source' as const,
        what: { reference: r.versionId ? `${r.ref}/_history/${r.versionId}` : r.ref },
      })),
    ...record.retrieval.chunkIds.map((chunkId) => ({
      role: 'quotation' as const,
      what: {
        identifier: { system: CITECARE.guidelineChunk, value: chunkId },
        display: `guideline corpus ${record.retrieval.corpusVersion}`,
      },
    })),
    // The drug knowledge the medication review applied, so an export shows which table version decided.
    ...(record.drugTableVersion
      ? [
          {
            role: 'source' as const,
            what: {
              identifier: { system: CITECARE.drugTable, value: record.drugTableVersion },
              display: `CiteCare drug table ${record.drugTableVersion}`,
            },
          },
        ]
      : []),
  ];
  return {
    resourceType: 'Provenance',
    id: derivedUuid(`${record.id}:provenance`),
    contained,
    target,
    recorded: recordedAt(record),
    agent,
    ...(entity.length ? { entity } : {}),
  };
}

export function feedbackToAuditEvent(fb: FeedbackEvent): AuditEvent {
  const code = fb.channel === 'smart-app' ? CITECARE.smartDecisionCode : CITECARE.feedbackCode;
  const entity: AuditEventEntity[] = [
    {
      what: { identifier: { system: CITECARE.card, value: fb.cardId } },
      type: { system: AUDIT_ENTITY_TYPE.system, ...AUDIT_ENTITY_TYPE.systemObject },
      role: { system: OBJECT_ROLE.system, ...OBJECT_ROLE.report },
      detail: details([
        ['outcome', fb.outcome],
        ['outcomeTimestamp', fb.outcomeTimestamp],
        [
          'acceptedSuggestions',
          fb.acceptedSuggestions?.length ? fb.acceptedSuggestions.join(',') : undefined,
        ],
        ['overrideReason', fb.overrideReason],
        ['userComment', fb.userComment],
        ['decision', fb.decision],
        ['seq', String(fb.seq)],
        ['hash', fb.hash],
        ['prevHash', fb.prevHash],
      ]),
    },
  ];
  if (fb.recordId) {
    entity.push({
      what: { identifier: { system: CITECARE.auditRecord, value: fb.recordId } },
      type: { system: AUDIT_ENTITY_TYPE.system, ...AUDIT_ENTITY_TYPE.systemObject },
      role: { system: OBJECT_ROLE.system, ...OBJECT_ROLE.job },
    });
  }
  return {
    resourceType: 'AuditEvent',
    id: fb.id,
    type: { system: AUDIT_EVENT_TYPE.system, ...AUDIT_EVENT_TYPE.rest },
    subtype: [{ system: CITECARE.eventSystem, ...code }],
    action: 'C',
    recorded: recordedAt(fb),
    outcome: '0',
    outcomeDesc: `card ${fb.outcome}`,
    agent: [userAgent(fb.user)],
    source: { site: fb.service, ...SOURCE },
    entity,
  };
}
