// assess: snapshot → scores, triage floor and findings. Pure and deterministic: no I/O, no clock, no model.

import { type RuleContext, renalFunction } from './rules/context.ts';
import { RULES } from './rules/index.ts';
import { cha2ds2Vasc } from './scores/cha2ds2-vasc.ts';
import { dangerZone } from './scores/danger-zone.ts';
import { egfr } from './scores/egfr.ts';
import { news2 } from './scores/news2.ts';
import { qsofa } from './scores/qsofa.ts';
import { shockIndex } from './scores/shock-index.ts';
import { sirs } from './scores/sirs.ts';
import { triageFloor } from './triage-floor.ts';
import type { Assessment, ClinicalSnapshot, Finding, Severity } from './types.ts';

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export function computeScores(s: ClinicalSnapshot): RuleContext['scores'] {
  return {
    news2: news2(s),
    qsofa: qsofa(s),
    sirs: sirs(s),
    shockIndex: shockIndex(s),
    cha2ds2vasc: cha2ds2Vasc(s),
    egfr: egfr(s),
    dangerZone: dangerZone(s),
  };
}

export function assess(snapshot: ClinicalSnapshot): Assessment {
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
  // Stable order: severity first, then rule order (sort is stable in V8).
  findings.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  return {
    at: snapshot.at,
    patient: { ageYears: snapshot.patient.ageYears, sex: snapshot.patient.sex },
    scores,
    triage: triageFloor(snapshot, scores),
    findings,
    warnings: [...snapshot.warnings],
  };
}
