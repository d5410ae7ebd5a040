// The deterministic triage floor: the most acute ESI level that objective data alone require. It can only
// make a patient more urgent. Every rule (decision points A, B and D) lives in the registry under
// triage/ (one file per body system), each with its signals, reason, source line and cited passage;
// this module runs them, sorts what fired, and works out the low-risk gate for ESI 4 and 5.

import type { ClinicalSnapshot, ResourceRef, TriageResult, TriageRuleResult } from '../types.ts';
import { TRIAGE_RULES } from './index.ts';
import { lowRiskGate } from './low-risk-gate.ts';
import { PASSAGE, SOURCE } from './passages.ts';
import { triageSignals } from './signals.ts';
import type { FloorScores, TriageContext } from './types.ts';

export { palsHypotensionLimit } from './circulation.ts';
export type { FloorScores };
export type FloorRule = TriageRuleResult;

function resultOf(rule: (typeof TRIAGE_RULES)[number], ctx: TriageContext): TriageRuleResult | undefined {
  const hit = rule.evaluate(ctx);
  if (!hit) return undefined;
  return {
    id: rule.id,
    level: rule.level,
    reason: hit.reason,
    evidence: [...new Set(hit.evidence.filter((e): e is ResourceRef => !!e))],
    point: rule.point,
    source: rule.source,
    passage: hit.passage ?? rule.passage,
    topic: rule.topic,
  };
}

/** Every floor rule that fired (most acute first) and every advisory ("consider level 2"). */
export function evaluateTriageRules(
  s: ClinicalSnapshot,
  scores: FloorScores,
): { rules: TriageRuleResult[]; advisories: TriageRuleResult[]; ctx: TriageContext } {
  const ctx: TriageContext = { s, scores, signals: triageSignals(s) };
  const rules: TriageRuleResult[] = [];
  const advisories: TriageRuleResult[] = [];
  for (const rule of TRIAGE_RULES) {
    const r = resultOf(rule, ctx);
    if (r) (rule.kind === 'advisory' ? advisories : rules).push(r);
  }
  rules.sort((a, b) => a.level - b.level);
  return { rules, advisories, ctx };
}

export function floorRules(s: ClinicalSnapshot, scores: FloorScores): TriageRuleResult[] {
  return evaluateTriageRules(s, scores).rules;
}

export const DEFAULT_REASON =
  'No objective rule requires ESI 1 or 2; the data alone cannot justify a less acute level, so 3 is the default.';

/** The passage the default reason cites (the software floor), with its source. */
export const DEFAULT_PASSAGE = { passage: PASSAGE.softwareFloor, source: SOURCE.softwareFloor } as const;

export function triageFloor(s: ClinicalSnapshot, scores: FloorScores): TriageResult {
  const { rules, advisories, ctx } = evaluateTriageRules(s, scores);
  const floorLevel = rules.length > 0 ? rules[0]!.level : null;
  const lowRisk = lowRiskGate(s, scores, ctx.signals, { floorLevel });
  const extra = {
    ...(advisories.length > 0 ? { advisories } : {}),
    lowRisk,
  };
  if (floorLevel === null) {
    return {
      level: 3,
      floorLevel: null,
      reasons: [DEFAULT_REASON, ...advisories.map((a) => a.reason)],
      evidence: [...new Set(advisories.flatMap((a) => a.evidence))],
      basis: 'default',
      rules: [],
      ...extra,
    };
  }
  return {
    level: floorLevel,
    floorLevel,
    reasons: [...rules.map((r) => r.reason), ...advisories.map((a) => a.reason)],
    evidence: [...new Set([...rules, ...advisories].flatMap((r) => r.evidence))],
    basis: 'floor',
    rules,
    ...extra,
  };
}
