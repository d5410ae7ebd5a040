// assess: snapshot → scores, triage floor and findings. Pure and deterministic: no I/O, no clock, no model.

import type { DrugTable } from '../medication-review/drug-table.ts';
import type { ReviewScope } from '../medication-review/review.ts';
import { type RuleContext, renalFunction } from '../rules/context.ts';
import { RULES } from '../rules/index.ts';
import { cha2ds2Vasc } from '../scores/cha2ds2-vasc.ts';
import { dangerZone } from '../scores/danger-zone.ts';
import { egfr } from '../scores/egfr.ts';
import { explainUnusable } from '../scores/inputs.ts';
import { news2 } from '../scores/news2.ts';
import { qsofa } from '../scores/qsofa.ts';
import { shockIndex } from '../scores/shock-index.ts';
import { sirs } from '../scores/sirs.ts';
import { triageFloor } from '../triage/floor.ts';
import {
  type Assessment,
  bySeverity,
  type ClinicalSnapshot,
  type Finding,
  type LabKind,
  type Score,
  type VitalKind,
} from '../types.ts';
import { chartReview } from './chart-review.ts';

/** The measured inputs of each score: an implausible newest reading of one is named in its reason. */
const SCORE_INPUTS = {
  news2: ['respiratoryRate', 'spo2', 'systolicBP', 'heartRate', 'temperature', 'avpu', 'gcs'],
  qsofa: ['respiratoryRate', 'systolicBP', 'avpu', 'gcs'],
  sirs: ['temperature', 'heartRate', 'respiratoryRate', 'wbc'],
  shockIndex: ['heartRate', 'systolicBP'],
  egfr: ['creatinine'],
  dangerZone: ['heartRate', 'respiratoryRate', 'spo2'],
} as const satisfies Record<string, ReadonlyArray<VitalKind | LabKind>>;

export function computeScores(s: ClinicalSnapshot): RuleContext['scores'] {
  const x = (score: Score, key: keyof typeof SCORE_INPUTS) => explainUnusable(score, s, SCORE_INPUTS[key]);
  return {
    news2: x(news2(s), 'news2'),
    qsofa: x(qsofa(s), 'qsofa'),
    sirs: x(sirs(s), 'sirs'),
    shockIndex: x(shockIndex(s), 'shockIndex'),
    cha2ds2vasc: cha2ds2Vasc(s),
    egfr: x(egfr(s), 'egfr'),
    dangerZone: x(dangerZone(s), 'dangerZone'),
  };
}

/** The whole-list medication review and care gaps, when the caller asks for them (patient-view, order hooks). */
export interface AssessOptions {
  review?: { table: DrugTable; scope: ReviewScope };
}

export function assess(snapshot: ClinicalSnapshot, opts: AssessOptions = {}): Assessment {
  const scores = computeScores(snapshot);
  const ctx: RuleContext = {
    snapshot,
    scores,
    renal: renalFunction(snapshot, scores.egfr),
    active: snapshot.medications.filter((m) => !m.draft),
    drafts: snapshot.medications.filter((m) => m.draft),
  };
  const findings: Finding[] = [];
  for (const rule of RULES) findings.push(...rule.run(ctx));
  if (opts.review) findings.push(...chartReview(ctx, opts.review.table, opts.review.scope, findings));
  // Stable order: severity first, then rule order (sort is stable in V8).
  findings.sort(bySeverity);
  return {
    at: snapshot.at,
    patient: { ageYears: snapshot.patient.ageYears, sex: snapshot.patient.sex },
    scores,
    triage: triageFloor(snapshot, scores),
    findings,
    warnings: [...snapshot.warnings],
  };
}
