// What every rule receives, and the one way to build a Finding (so summaries stay short and topics valid).
import { egfr as egfrScore, exactEgfr } from '../scores/egfr.ts';
import { lab } from '../scores/inputs.ts';
import { isTopic, type Topic } from '../topics.ts';
import type {
  Assessment,
  CatalogueSuggestion,
  ClinicalSnapshot,
  Finding,
  MedicationFact,
  ResourceRef,
  Score,
  Severity,
} from '../types.ts';

export interface RuleContext {
  snapshot: ClinicalSnapshot;
  scores: Assessment['scores'] & { dangerZone: Score };
  /** Kidney function for dosing rules (unrounded): CKD-EPI 2021 when computable, else a reported eGFR. */
  renal?: { egfr: number; source: ResourceRef[]; label: string };
  active: MedicationFact[];
  drafts: MedicationFact[];
}

export type Rule = (ctx: RuleContext) => Finding[];

export function renalFunction(s: ClinicalSnapshot, computed: Score = egfrScore(s)): RuleContext['renal'] {
  if (computed.total !== null) {
    // Thresholds read the unrounded value (§1.9: round only for display); the total is the reported integer.
    return {
      egfr: exactEgfr(computed) ?? computed.total,
      source: computed.evidence,
      label: 'eGFR (CKD-EPI 2021, computed from creatinine)',
    };
  }
  const reported = lab(s, 'egfr');
  if (reported)
    return { egfr: reported.value, source: [reported.source], label: 'reported eGFR (equation not stated)' };
  return undefined;
}

export const SUMMARY_MAX = 139;

export function finding(f: {
  id: string;
  severity: Severity;
  summary: string;
  detail: string;
  evidence: Array<ResourceRef | undefined>;
  topics: Topic[];
  query: string;
  suggestions?: CatalogueSuggestion[];
  citeOnly?: Topic;
}): Finding {
  const summary = f.summary.length > SUMMARY_MAX ? `${f.summary.slice(0, SUMMARY_MAX - 1)}…` : f.summary;
  return {
    id: f.id,
    severity: f.severity,
    summary,
    detail: f.detail,
    evidence: [...new Set(f.evidence.filter((e): e is ResourceRef => typeof e === 'string'))],
    topics: [...new Set(f.topics.filter(isTopic))],
    query: f.query,
    suggestions: f.suggestions ?? [],
    citations: [],
    ...(f.citeOnly ? { citeOnly: f.citeOnly } : {}),
  };
}

export function hasClass(m: MedicationFact, cls: string): boolean {
  return m.classes.includes(cls);
}
