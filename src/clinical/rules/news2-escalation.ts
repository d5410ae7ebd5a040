// NEWS2 response bands (RCP 2017 chart; §1.1): ≥ 7 high, 5–6 medium, a single 3 low–medium.
import type { Finding } from '../types.ts';
import { finding, type RuleContext } from './context.ts';

export function news2Escalation(ctx: RuleContext): Finding[] {
  const n2 = ctx.scores.news2;
  if (n2.total === null) return [];
  const single3 = Object.values(n2.components).some((p) => p === 3);
  if (n2.total >= 7) {
    return [
      finding({
        id: 'news2-escalation',
        severity: 'critical',
        summary: `NEWS2 ${n2.total} (high risk): emergency assessment by a critical-care-competent team.`,
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
        summary: `NEWS2 ${n2.total} (medium risk): urgent review by a clinician with acute-illness skills.`,
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
