// Positive sepsis screen: suspected infection plus qSOFA ≥ 2 or SIRS ≥ 2, or NEWS2 ≥ 5 with an infection
// context. SSC 2021 advises against qSOFA alone, so any of the three screens can trigger (§1.2, §2.1).
import { suggest } from '../actions.ts';
import { conditionsIn } from '../conditions-query.ts';
import { fmt } from '../format.ts';
import { lab, vital } from '../scores/inputs.ts';
import type { Topic } from '../topics.ts';
import type { Finding, Measurement, ResourceRef, Score } from '../types.ts';
import { finding, hasClass, type RuleContext } from './context.ts';

const INFECTION_WORDS =
  /fever|febrile|infect|sepsis|septic|rigou?rs|chills|pneumonia|cellulitis|\buti\b|urinary|abscess|productive cough/i;

function atLeast(score: Score): number | null {
  return score.total ?? (score.lowerBound !== undefined && score.lowerBound > 0 ? score.lowerBound : null);
}

function refs(score: Score): ResourceRef[] {
  return score.total === null ? (score.evidence ?? []) : score.evidence;
}

/** An infection diagnosis older than this is history, not a current suspicion (Synthea leaves many open). */
const RECENT_INFECTION_MS = 30 * 24 * 3_600_000;

/** What makes infection suspected: a recent infection diagnosis, a current antibiotic or the complaint's words. */
function infectionContext(ctx: RuleContext) {
  const s = ctx.snapshot;
  const atMs = Date.parse(s.at);
  const infections = conditionsIn(s.conditions, 'infection').filter(
    (c) => !c.onset || atMs - Date.parse(c.onset) <= RECENT_INFECTION_MS,
  );
  const antibiotics = ctx.active.filter((m) => hasClass(m, 'antibacterial'));
  // A finished visit's reason is history: last year's sore throat is no infection now.
  const reason = s.encounter?.over ? undefined : s.encounter?.reason;
  const complaint =
    (s.chiefComplaint !== undefined && INFECTION_WORDS.test(s.chiefComplaint)) ||
    (reason !== undefined && INFECTION_WORDS.test(reason));
  if (infections.length === 0 && antibiotics.length === 0 && !complaint) return undefined;
  const label =
    infections.length > 0
      ? infections[0].display
      : antibiotics.length > 0
        ? 'current antibiotics'
        : 'presenting complaint';
  return { label, evidence: [...infections.map((c) => c.source), ...antibiotics.map((m) => m.source)] };
}

/** The positive screens (qSOFA ≥ 2, SIRS ≥ 2, NEWS2 ≥ 5), with their evidence and topics. */
function positiveScreens({ qsofa, sirs, news2 }: RuleContext['scores']) {
  const q = atLeast(qsofa);
  const si = atLeast(sirs);
  // NEWS2 with a missing parameter is at least its partial sum (missing parameters only add points).
  const n2 = news2.total ?? news2.lowerBound ?? null;
  const triggers: string[] = [];
  const evidence: Array<ResourceRef | undefined> = [];
  const topics: Topic[] = ['sepsis'];
  if (q !== null && q >= 2) {
    triggers.push(`qSOFA ${qsofa.total === null ? '≥' : ''}${q}`);
    evidence.push(...refs(qsofa));
    topics.push('qsofa');
  }
  if (si !== null && si >= 2) {
    triggers.push(`SIRS ${sirs.total === null ? '≥' : ''}${si}`);
    evidence.push(...refs(sirs));
    topics.push('sirs');
  }
  if (n2 !== null && n2 >= 5) {
    triggers.push(news2.total === null ? `NEWS2 at least ${n2}` : `NEWS2 ${n2}`);
    evidence.push(...refs(news2));
    topics.push('news2');
  }
  return { q, n2, triggers, evidence, topics };
}

function detailText(
  triggers: string[],
  context: string,
  news2: Score,
  n2: number | null,
  lactate?: Measurement,
) {
  const lactateLine = lactate
    ? `Latest lactate is ${fmt(lactate.value)} mmol/L${lactate.value > 2 ? '; above 2 mmol/L it should be re-measured' : ''}.`
    : 'No lactate in the last 72 hours: measuring one is suggested when sepsis is suspected.';
  return [
    `**Screen:** ${triggers.join(', ')}; infection context: ${context}.`,
    ...(news2.total === null && n2 !== null && n2 >= 5
      ? [
          `NEWS2 is at least ${n2} (${(news2.missing ?? []).join(', ')} missing); the rest can only add points.`,
        ]
      : []),
    '',
    'A positive screen is a prompt for rapid assessment, not a diagnosis. If sepsis is likely, or shock is possible,',
    'antimicrobials belong in the first hour after recognition; otherwise decide within about three hours.',
    'Blood cultures are best drawn before the first antibiotic dose.',
    '',
    lactateLine,
  ].join('\n');
}

export function sepsisScreen(ctx: RuleContext): Finding[] {
  const infection = infectionContext(ctx);
  if (!infection) return [];
  const { q, n2, triggers, evidence, topics } = positiveScreens(ctx.scores);
  if (triggers.length === 0) return [];
  evidence.push(...infection.evidence);
  const lactate = lab(ctx.snapshot, 'lactate');
  const sbp = vital(ctx.snapshot, 'systolicBP');
  // Possible shock: the hour-1 bundle's hypotension or lactate ≥ 4 (§2.1). With a qSOFA ≥ 2 or NEWS2 ≥ 7
  // sepsis counts as likely. Either calls for antimicrobials within the hour; otherwise it is "possible
  // sepsis without shock", and the citation follows the same split.
  const shock = (lactate?.value ?? 0) >= 4 || (sbp?.value ?? 999) < 90;
  const critical = shock || (q !== null && q >= 2) || (n2 !== null && n2 >= 7);
  if (shock) topics.push('shock');
  if (lactate) evidence.push(lactate.source);
  const suggestions = [
    ...(lactate ? [] : [suggest('order-lactate', { isRecommended: true })]),
    suggest('order-blood-cultures', { isRecommended: true }),
  ];
  return [
    finding({
      id: 'sepsis-screen',
      severity: critical ? 'critical' : 'warning',
      summary: `Positive sepsis screen: ${triggers.join(', ')} with suspected infection (${infection.label}).`,
      detail: detailText(triggers, infection.label, ctx.scores.news2, n2, lactate),
      evidence,
      topics,
      query: critical
        ? 'septic shock or probable sepsis: antimicrobials immediately, within 1 hour of recognition'
        : 'possible sepsis without shock: rapid assessment of infectious or non-infectious cause, antimicrobials within 3 hours',
      suggestions,
    }),
  ];
}
