// NEWS2 response bands (RCP 2017 chart; §1.1): ≥ 7 high, 5–6 medium, a single 3 low–medium. With a
// parameter missing, the partial sum is a lower bound and already triggers the medium or high band.
import type { Finding } from '../types.ts';
import { finding, type RuleContext, SUMMARY_MAX } from './context.ts';

export function news2Escalation(ctx: RuleContext): Finding[] {
  const score = ctx.scores.news2;
  // A missing parameter can only add points: a partial sum of 5 or 7 already reaches that band.
  const total = score.total ?? score.lowerBound;
  if (total === undefined) return [];
  const points = (score.total === null ? score.partial : score.components) ?? {};
  const single3 = Object.values(points).some((p) => p === 3);
  const missing = score.total === null ? (score.missing ?? []) : [];
  if (missing.length > 0 && total < 5) return [];
  const label = (risk: string, action: string): string => {
    if (missing.length === 0) return `NEWS2 ${total} (${risk}): ${action}`;
    const full = `NEWS2 at least ${total} (${risk}; ${missing.join(', ')} missing): ${action}`;
    return full.length <= SUMMARY_MAX
      ? full
      : `NEWS2 at least ${total} (${risk}; ${missing.length} parameters missing): ${action}`;
  };
  const n2 = { total, evidence: score.evidence ?? [] };
  if (n2.total >= 7) {
    return [
      finding({
        id: 'news2-escalation',
        severity: 'critical',
        summary: label('high risk', 'emergency assessment by a critical-care-competent team.'),
        detail:
          'A NEWS2 of 7 or more is the high-risk band: continuous monitoring, an emergency review by a team with\n' +
          'critical-care and airway skills, and consideration of transfer to a higher level of care.',
        evidence: n2.evidence,
        topics: ['news2', 'deterioration'],
        query: 'NEWS2 7 or more high clinical risk emergency response critical care',
      }),
    ];
  }
  if (n2.total >= 5) {
    return [
      finding({
        id: 'news2-escalation',
        severity: 'warning',
        summary: label('medium risk', 'urgent review by a clinician with acute-illness skills.'),
        detail:
          'A NEWS2 of 5 or 6 is the key threshold for an urgent response: tell the medical team now, observe at least\n' +
          'hourly, and care for the patient in a monitored area.',
        evidence: n2.evidence,
        topics: ['news2', 'deterioration'],
        query: 'NEWS2 5 6 medium clinical risk urgent response hourly observations',
      }),
    ];
  }
  if (single3) {
    return [
      finding({
        id: 'news2-escalation',
        severity: 'info',
        summary: `NEWS2 ${n2.total} with one parameter scoring 3: medical review to decide on escalation.`,
        detail:
          'One extreme parameter (a 3) puts the patient in the low–medium band even when the total is under 5:\n' +
          'observe hourly and ask the medical team to review.',
        evidence: n2.evidence,
        topics: ['news2', 'deterioration'],
        query: 'NEWS2 single parameter score 3 urgent ward-based response',
      }),
    ];
  }
  return [];
}
