// A stand-in runtime for the SMART plumbing tests: a pipeline that builds just enough of a snapshot
// from the fetched resources, fixed scores and triage, and an in-memory audit store that keeps what
// it was given. The real-runtime tests cover the clinical path.
import type { Observation, Resource } from '@medplum/fhirtypes';
import type { AuditRecord, AuditRecordInput, FeedbackEvent, FeedbackInput } from '../../src/audit/types.ts';
import { systemClock } from '../../src/clinical/clock.ts';
import type { ClinicalSnapshot, Measurement, VitalKind } from '../../src/clinical/types.ts';
import type { Config } from '../../src/config.ts';
import { fhirKitGatewayFactory } from '../../src/fhir/fhir-kit-gateway.ts';
import { noAdvisor } from '../../src/llm/types.ts';
import type { PipelineInput, PipelineResult } from '../../src/pipeline/types.ts';
import type { Runtime } from '../../src/server/runtime.ts';

const VITAL_CODES: Record<string, VitalKind> = {
  '8867-4': 'heartRate',
  '9279-1': 'respiratoryRate',
  '59408-5': 'spo2',
  '8310-5': 'temperature',
  '8480-6': 'systolicBP',
};

/** Just enough of a snapshot for the plumbing tests; the real-runtime test covers the clinical path. */
function stubSnapshot(input: PipelineInput): ClinicalSnapshot {
  const vitals: ClinicalSnapshot['vitals'] = {};
  const add = (kind: VitalKind, m: Measurement) => {
    const s = vitals[kind] ?? { history: [] };
    if (!s.latest || s.latest.at < m.at) {
      if (s.latest) s.history.unshift(s.latest);
      s.latest = m;
    } else s.history.push(m);
    vitals[kind] = s;
  };
  for (const r of input.resources) {
    if (r.resourceType !== 'Observation') continue;
    const o = r as Observation;
    const at = o.effectiveDateTime ?? '';
    const source = `Observation/${o.id}`;
    for (const part of [o, ...(o.component ?? [])]) {
      const kind = VITAL_CODES[part.code?.coding?.[0]?.code ?? ''];
      const q = part.valueQuantity;
      if (kind && q?.value !== undefined)
        add(kind, { value: q.value, unit: q.code ?? q.unit ?? '', at, source });
    }
  }
  return {
    at: input.at.toISOString(),
    patient: {
      source: `Patient/${input.patientId}`,
      ageYears: 67,
      ageMonths: 67 * 12,
      sex: 'female',
      pregnant: false,
    },
    conditions: [],
    medications: [],
    allergies: [],
    vitals,
    labs: {},
    notes: [],
    chiefComplaint: input.chiefComplaint,
    resources: input.resources.map((r: Resource) => ({ ref: `${r.resourceType}/${r.id}` })),
    warnings: [],
  };
}

export function stubRuntime(
  config: Config,
  feedback: FeedbackInput[],
  records: AuditRecordInput[],
  inputs: PipelineInput[],
): Runtime {
  let seq = 0;
  const audit = {
    async append(record: AuditRecordInput): Promise<AuditRecord> {
      records.push(record);
      seq += 1;
      return { ...record, seq, id: `rec-${seq}`, prevHash: '', hash: `h${seq}` };
    },
    async appendFeedback(f: FeedbackInput): Promise<FeedbackEvent> {
      feedback.push(f);
      seq += 1;
      return {
        ...f,
        seq,
        id: `fb-${seq}`,
        receivedAt: new Date().toISOString(),
        prevHash: '',
        hash: `h${seq}`,
      };
    },
    healthy: async () => true,
    close: async () => {},
  };
  const pipeline = async (input: PipelineInput): Promise<PipelineResult> => {
    inputs.push(input);
    const snapshot = stubSnapshot(input);
    const record = await audit.append({
      time: input.at.toISOString(),
      channel: input.channel,
      service: input.service,
      hook: input.hook,
      hookInstance: input.hookInstance,
      patient: `Patient/${input.patientId}`,
      resources: snapshot.resources,
      snapshotHash: 'stub',
      scores: {},
      findings: [],
      retrieval: { corpusVersion: 'stub', chunkIds: ['stub-guideline#sepsis'] },
      cards: [],
      cardIds: [],
      silent: false,
      fallback: false,
      timings: {},
      errors: [],
    });
    const evidence = ['Observation/hr-3', 'Observation/rr-2'];
    return {
      snapshot,
      snapshotHash: 'stub',
      assessment: {
        at: input.at.toISOString(),
        patient: { ageYears: 67, sex: 'female' },
        scores: {
          news2: {
            total: 9,
            components: { respiratoryRate: 3, spo2: 3, heartRate: 2, temperature: 1 },
            band: 'high',
            evidence,
          },
          qsofa: {
            total: 1,
            components: { respiratoryRate: 1, systolicBP: 0, alteredMentation: 0 },
            evidence,
          },
          sirs: { total: null, reason: 'stub' },
          shockIndex: { total: null, reason: 'stub' },
          cha2ds2vasc: { total: null, reason: 'stub' },
          egfr: { total: null, reason: 'stub' },
        },
        triage: { level: 2, floorLevel: 2, reasons: ['NEWS2 9 is 7 or more'], evidence, basis: 'floor' },
        findings: [],
      },
      passages: [
        {
          chunkId: 'stub-guideline#sepsis',
          documentId: 'stub-guideline',
          title: 'Stub sepsis guideline',
          issuer: 'Test Society',
          year: 2021,
          url: 'https://example.org/sepsis',
          section: 'Screening',
          text: 'Screen adults with suspected infection using an early warning score. More text follows.',
          topics: ['sepsis'],
          codes: [],
          contentHash: 'x',
          score: 1,
        },
      ],
      advice: { kind: 'triage', status: 'disabled', statements: [], dropped: [], durationMs: 0 },
      cards: [],
      silent: false,
      audit: { ...record, seq: 0, id: `rec-${records.length}`, prevHash: '', hash: '' },
    };
  };
  return {
    config,
    clock: systemClock,
    advisor: noAdvisor,
    audit,
    pipeline,
    fhirGateway: fhirKitGatewayFactory({
      timeoutMs: config.FHIR_TIMEOUT_MS,
      maxPages: config.FHIR_MAX_PAGES,
    }),
    close: async () => {},
  } as unknown as Runtime;
}
