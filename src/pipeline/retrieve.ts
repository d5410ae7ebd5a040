// Retrieval for one decision: each finding gets the passage that best supports it (cited with an
// exact quote); the model gets the union of those passages plus the triage guidance it needs.
import { SYSTEM } from '../clinical/codes.ts';
import { DEFAULT_PASSAGE } from '../clinical/triage/floor.ts';
import { PASSAGE } from '../clinical/triage/passages.ts';
import type { Assessment, Citation, ClinicalSnapshot, Finding, TriageResult } from '../clinical/types.ts';
import { citationForQuery } from '../guidelines/citation.ts';
import type { GuidelineIndex, ScoredPassage } from '../guidelines/types.ts';
import type { AdviceKind } from '../llm/types.ts';

const MAX_MODEL_PASSAGES = 8;
/** The ESI passages a model needs to suggest a level, beside the passages of the rules that fired. */
const TRIAGE_GUIDANCE = [
  PASSAGE.lifeSaving,
  'esi-triage-decision-points#decision-point-b-high-risk-situation',
  PASSAGE.lowRiskLevels,
];

/** The patient's coded concepts as `system|code`, for boosting passages that apply to them. */
export function patientCodes(snapshot: ClinicalSnapshot): string[] {
  const codes = new Set<string>();
  for (const c of snapshot.conditions) {
    for (const coding of c.codes)
      if (coding.system && coding.code) codes.add(`${coding.system}|${coding.code}`);
  }
  for (const m of snapshot.medications) for (const rx of m.rxnorm) codes.add(`${SYSTEM.rxnorm}|${rx}`);
  return [...codes];
}

export interface RetrievalResult {
  findings: Finding[];
  passages: ScoredPassage[];
  /** One citation per triage reason, in reason order, each once. */
  triageCitations: Citation[];
  /** The triage with each rule's and advisory's own citation filled in. */
  triage?: TriageResult;
}

/**
 * Each triage reason cites the passage about that reason (its rule names the chunk id), quoting the
 * sentence closest to the reason. With no rule, the default reason cites the software-floor passage.
 */
export function citeTriage(index: Pick<GuidelineIndex, 'get'>, triage: TriageResult): TriageResult {
  const cite = (chunkId: string | undefined, text: string): Citation | undefined => {
    const p = chunkId ? index.get(chunkId) : undefined;
    return p ? citationForQuery(p, text) : undefined;
  };
  const withCitation = <R extends { passage?: string; reason: string }>(r: R): R => {
    const citation = cite(r.passage, r.reason);
    return citation ? { ...r, citation } : r;
  };
  const rules = (triage.rules ?? []).map(withCitation);
  const advisories = triage.advisories?.map(withCitation);
  const fallback = rules.length === 0 ? cite(DEFAULT_PASSAGE.passage, triage.reasons[0] ?? '') : undefined;
  return {
    ...triage,
    rules,
    ...(advisories ? { advisories } : {}),
    ...(fallback ? { citation: fallback } : {}),
  };
}

/** The triage's citations in reason order, each chunk once. */
export function triageCitationsOf(triage: TriageResult): Citation[] {
  const all = [
    ...(triage.rules ?? []).map((r) => r.citation),
    ...(triage.advisories ?? []).map((r) => r.citation),
    triage.citation,
  ];
  const seen = new Set<string>();
  const out: Citation[] = [];
  for (const c of all) {
    if (!c || seen.has(c.chunkId)) continue;
    seen.add(c.chunkId);
    out.push(c);
  }
  return out;
}

export async function retrieveForAssessment(
  index: GuidelineIndex,
  snapshot: ClinicalSnapshot,
  assessment: Assessment,
  adviceKind: AdviceKind | undefined,
): Promise<RetrievalResult> {
  const codes = patientCodes(snapshot);
  const passages = new Map<string, ScoredPassage>();

  const findings = await Promise.all(
    assessment.findings.map(async (f) => {
      const text = f.query ?? `${f.summary} ${f.topics.join(' ')}`;
      // A chart-review line names its passage: cite exactly that one.
      const named = f.passage ? index.get(f.passage) : undefined;
      if (named) {
        if (!passages.has(named.chunkId)) passages.set(named.chunkId, { ...named, score: 0 });
        return { ...f, citations: [citationForQuery(named, text)] };
      }
      const found = await index.search({ text, topics: f.topics, codes, k: 3 });
      const hits = f.citeOnly ? found.filter((h) => h.topics.includes(f.citeOnly!)) : found;
      for (const h of hits.slice(0, 2)) if (!passages.has(h.chunkId)) passages.set(h.chunkId, h);
      const top = hits[0];
      return top ? { ...f, citations: [citationForQuery(top, text)] } : f;
    }),
  );

  let triageCitations: Citation[] = [];
  let triage: TriageResult | undefined;
  if (adviceKind === 'triage' || assessment.triage.floorLevel !== null) {
    triage = citeTriage(index, assessment.triage);
    triageCitations = triageCitationsOf(triage);
  }
  // The model sees the passages of the reasons first (placed ahead of any search hit), then the ESI
  // guidance it needs to suggest a level, then the findings' passages.
  const triagePassages: ScoredPassage[] = [];
  if (triage) {
    const ids = [
      ...triageCitations.map((c) => c.chunkId),
      ...(adviceKind === 'triage' ? TRIAGE_GUIDANCE : []),
    ];
    for (const id of new Set(ids)) {
      const p = index.get(id);
      if (p) triagePassages.push({ ...p, score: 0 });
    }
  }
  const ranked = [
    ...triagePassages,
    ...[...passages.values()]
      .filter((p) => !triagePassages.some((t) => t.chunkId === p.chunkId))
      .sort((a, b) => b.score - a.score),
  ].slice(0, MAX_MODEL_PASSAGES);
  return { findings, passages: ranked, triageCitations, ...(triage ? { triage } : {}) };
}
