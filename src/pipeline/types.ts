import type { Resource } from '@medplum/fhirtypes';
import type { AuditRecord } from '../audit/types.ts';
import type { CardPolicy } from '../cards/build-cards.ts';
import type { ReviewScope } from '../clinical/medication-review/review.ts';
import type { Assessment, ClinicalSnapshot } from '../clinical/types.ts';
import type { ScoredPassage } from '../guidelines/types.ts';
import type { AdviceKind, AdviceResult } from '../llm/types.ts';

/** Everything one decision needs; the CDS services and the SMART app both build one. */
export interface PipelineInput {
  channel: 'cds-hooks' | 'smart-app';
  service: string;
  hook: string;
  hookInstance: string;
  user?: string;
  patientId: string;
  encounterId?: string;
  /** The patient's resources (prefetch and fetched), in any mix. */
  resources: Resource[];
  /** order-select / order-sign: the draft orders, and which of them are selected. */
  draftOrders?: Resource[];
  selections?: string[];
  chiefComplaint?: string;
  at: Date;
  /** Which model task applies: 'summary' for patient-view, 'triage' for encounter-start/SMART. */
  adviceKind?: AdviceKind;
  /**
   * Which cards the service shows (its CDS service module's `cards`). Absent: the findings, plus the
   * triage card for a triage task or the summary card for a summary task.
   */
  show?: CardPolicy;
  /** Which medication review runs with the chart-review deps: 'chart' (patient-view) or 'drafts' (order hooks). */
  reviewScope?: ReviewScope;
  /** Notes on data that could not be had (shown on cards, recorded in the audit trail). */
  missing?: string[];
  /** performance.now() when the request arrived: the hook's time budget counts from here. */
  startedAt?: number;
  /** The authenticated CDS client, for the audit trail. */
  client?: { iss: string; jti: string; tenant?: string };
}

export interface PipelineResult {
  snapshot: ClinicalSnapshot;
  snapshotHash: string;
  assessment: Assessment;
  passages: ScoredPassage[];
  advice: AdviceResult;
  /** CDS cards (wire format) built from the decision; empty in silent mode on the wire. */
  cards: unknown[];
  silent: boolean;
  audit: AuditRecord;
}

export type RunPipeline = (input: PipelineInput) => Promise<PipelineResult>;
