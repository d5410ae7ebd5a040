// ESI's third decision-point-B question, severe pain or distress (§1.5.1): pain rated 7/10 or more with an
// acute presentation that cannot wait (renal colic, a sickle-cell crisis, an acute abdomen, testicular,
// chest or sudden head pain, a fracture or burn) raises the floor to 2. Otherwise the handbook asks the nurse
// to consider level 2, which is a judgement: a chronic pain score in a patient with a chronic pain
// condition and a matching complaint, or severe pain without such a presentation, adds a "consider
// level 2" line to the card and leaves the floor alone.
import type { ConditionFact } from '../types.ts';
import type { Concept } from './concepts.ts';
import { PASSAGE, SOURCE } from './passages.ts';
import { complaintText } from './signals.ts';
import type { TriageContext, TriageRule } from './types.ts';

export const SEVERE_PAIN_SCORE = 7;

/** Presentations that cannot wait when the pain is severe. */
const ACUTE_PAIN: readonly Concept[] = [
  'sickle-crisis',
  'renal-colic',
  'testicular-pain',
  'chest-pain',
  'aortic-pain',
  'thunderclap-headache',
  'limb-ischaemia',
  'abdominal-pain',
  'lower-abdominal-pain',
  'acute-pain-site',
  'headache',
];

const SITES =
  /back|spine|lumbar|neck|head|migraine|abdom|pelvi|joint|knee|hip|shoulder|leg|arm|chest|pancrea/gi;

function sites(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.toLowerCase().matchAll(SITES)) out.add(m[0]!.startsWith('migraine') ? 'head' : m[0]!);
  return out;
}

/** The chronic pain condition the complaint matches (same body site), or the complaint calls it chronic. */
function chronicMatch(ctx: TriageContext): { condition?: ConditionFact; words?: string } | undefined {
  const { signals, s } = ctx;
  const stated = signals.complaint.get('chronic-pain');
  const complaintSites = sites(complaintText(s) ?? '');
  for (const c of signals.chronicPain) {
    const overlap = [...sites(c.display)].some((x) => complaintSites.has(x));
    if (overlap || stated !== undefined) return { condition: c, ...(stated ? { words: stated } : {}) };
  }
  return stated !== undefined ? { words: stated } : undefined;
}

function acutePresentation(ctx: TriageContext): string | undefined {
  const c = ctx.signals.complaint;
  if (ctx.signals.sickleCell.length > 0 && c.size > 0) return 'a sickle-cell crisis';
  for (const k of ACUTE_PAIN) {
    const words = c.get(k);
    if (words !== undefined) return `"${words}"`;
  }
  return undefined;
}

export const PAIN_RULES: readonly TriageRule[] = [
  {
    id: 'severe-pain',
    level: 2,
    point: 'B',
    system: 'pain',
    source: SOURCE.pain,
    passage: PASSAGE.severePain,
    topic: 'severe-pain',
    evaluate(ctx) {
      const pain = ctx.signals.pain;
      if (!pain || pain.score < SEVERE_PAIN_SCORE) return undefined;
      const acute = acutePresentation(ctx);
      if (!acute) return undefined;
      const sickle = acute === 'a sickle-cell crisis' || ctx.signals.complaint.has('sickle-crisis');
      if (!sickle && chronicMatch(ctx)) return undefined;
      return {
        reason: `Pain ${pain.score}/10 with ${acute}: severe pain with an acute presentation that cannot wait`,
        evidence: [pain.source, ...(sickle ? ctx.signals.sickleCell.map((c) => c.source) : [])],
      };
    },
  },
  {
    id: 'consider-level-2-pain',
    level: 2,
    point: 'B',
    kind: 'advisory',
    system: 'pain',
    source: SOURCE.pain,
    passage: PASSAGE.chronicPain,
    topic: 'severe-pain',
    evaluate(ctx) {
      const pain = ctx.signals.pain;
      if (!pain || pain.score < SEVERE_PAIN_SCORE) return undefined;
      const chronic = chronicMatch(ctx);
      const acute = acutePresentation(ctx);
      const sickle = acute === 'a sickle-cell crisis' || ctx.signals.complaint.has('sickle-crisis');
      if (acute && (!chronic || sickle)) return undefined;
      const what = chronic
        ? `a chronic pain picture (${chronic.condition?.display ?? `"${chronic.words}"`})`
        : 'no presentation that the rules know cannot wait';
      return {
        reason: `Pain ${pain.score}/10 with ${what}: consider level 2 if the pain or distress cannot wait`,
        evidence: [pain.source, chronic?.condition?.source],
        passage: chronic ? PASSAGE.chronicPain : PASSAGE.severePain,
      };
    },
  },
];
