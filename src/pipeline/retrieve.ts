// Retrieval for one decision: each finding gets the passage that best supports it (cited with an
// exact quote); the model gets the union of those passages plus the triage guidance it needs.
import { SYSTEM } from '../clinical/codes.ts';
import type { Assessment, Citation, ClinicalSnapshot, Finding } from '../clinical/types.ts';
import { citationForQuery } from '../guidelines/citation.ts';
import type { GuidelineIndex, ScoredPassage } from '../guidelines/types.ts';
import type { AdviceKind } from '../llm/types.ts';

const MAX_MODEL_PASSAGES = 8;
const TRIAGE_QUERY = {
  text: 'ESI triage high-risk presentation danger zone vital signs',
  topics: ['esi-triage', 'danger-zone-vitals'],
};

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
  triageCitations: Citation[];
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
  if (adviceKind === 'triage' || assessment.triage.floorLevel !== null) {
    const hits = await index.search({ ...TRIAGE_QUERY, codes, k: 2 });
    const reasons = assessment.triage.reasons.join(' ');
    triageCitations = hits.slice(0, 1).map((h) => citationForQuery(h, `${TRIAGE_QUERY.text} ${reasons}`));
    for (const h of hits) if (!passages.has(h.chunkId)) passages.set(h.chunkId, h);
  }

  const ranked = [...passages.values()].sort((a, b) => b.score - a.score).slice(0, MAX_MODEL_PASSAGES);
  return { findings, passages: ranked, triageCitations };
}
