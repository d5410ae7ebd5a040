// Neurological presentations: unresponsiveness (decision point A), new confusion, lethargy or
// disorientation (decision point B, judged against the patient's baseline, §1.5.1), stroke signs,
// sudden severe headache, the meningitis picture, a seizure, and sudden loss of vision or a chemical
// splash to the eye.
import { fmt } from '../format.ts';
import { consciousness, vital } from '../scores/inputs.ts';
import type { Measurement } from '../types.ts';
import { PASSAGE, SOURCE } from './passages.ts';
import { complaintHit, type TriageRule } from './types.ts';

/** The most recent earlier GCS reading, when it is higher than the current one (a drop from baseline). */
function gcsBaselineAbove(series: { latest?: Measurement; history: Measurement[] } | undefined) {
  const now = series?.latest;
  if (!now) return undefined;
  const earlier = series.history.find((m) => !m.implausible && Date.parse(m.at) < Date.parse(now.at));
  return earlier && earlier.value > now.value ? earlier : undefined;
}

export const NEUROLOGICAL_RULES: readonly TriageRule[] = [
  {
    id: 'unresponsive',
    level: 1,
    point: 'A',
    system: 'neurological',
    source: SOURCE.pointA,
    passage: PASSAGE.lifeSaving,
    topic: 'esi-triage',
    evaluate({ s }) {
      const mind = consciousness(s);
      if (!mind || (mind.level !== 'P' && mind.level !== 'U')) return undefined;
      return {
        reason:
          mind.gcs !== undefined
            ? `GCS ${mind.gcs} is 8 or less`
            : `Responds ${mind.level === 'P' ? 'only to pain' : 'to nothing'} (ACVPU ${mind.level})`,
        evidence: [mind.source],
      };
    },
  },
  {
    // ACVPU C or V, or GCS 9–14: new confusion is treated as new until shown otherwise (§1.1 notes).
    id: 'altered-mentation',
    level: 2,
    point: 'B',
    system: 'neurological',
    source: SOURCE.confusion,
    passage: PASSAGE.newConfusion,
    topic: 'new-confusion',
    evaluate({ s }) {
      const mind = consciousness(s);
      if (!mind || (mind.level !== 'C' && mind.level !== 'V')) return undefined;
      if (mind.gcs !== undefined) {
        const baseline = gcsBaselineAbove(s.vitals.gcs);
        return {
          reason: baseline
            ? `GCS ${mind.gcs} is below the earlier documented ${fmt(baseline.value, 0)}: new confusion`
            : `GCS ${mind.gcs} is below 15`,
          evidence: [mind.source, baseline?.source],
        };
      }
      return {
        reason:
          mind.level === 'C' ? 'New confusion is recorded (ACVPU C)' : 'Responds only to voice (ACVPU V)',
        evidence: [mind.source],
      };
    },
  },
  {
    id: 'new-confusion',
    level: 2,
    point: 'B',
    system: 'neurological',
    source: SOURCE.confusion,
    passage: PASSAGE.newConfusion,
    topic: 'new-confusion',
    evaluate({ s, signals }) {
      const coded = signals.codedConfusion[0];
      if (coded)
        return {
          reason: `${coded.display || 'Acute confusion'} is recorded: new confusion, a high-risk situation`,
          evidence: [coded.source],
        };
      const words = signals.complaint.get('new-confusion');
      if (words === undefined) return undefined;
      const gcs = vital(s, 'gcs');
      return {
        reason: `The chief complaint describes new confusion, lethargy or disorientation ("${words}")`,
        evidence: gcs ? [gcs.source] : [],
      };
    },
  },
  {
    id: 'stroke-signs',
    level: 2,
    point: 'B',
    system: 'neurological',
    source: SOURCE.pointB,
    passage: PASSAGE.stroke,
    topic: 'stroke',
    evaluate: (ctx) =>
      complaintHit(ctx, ['stroke-signs'], (w) => `The chief complaint names possible stroke signs ("${w}")`),
  },
  {
    id: 'sudden-severe-headache',
    level: 2,
    point: 'B',
    system: 'neurological',
    source: SOURCE.pointBOther,
    passage: PASSAGE.thunderclap,
    topic: 'high-risk-situation',
    evaluate: (ctx) =>
      complaintHit(
        ctx,
        ['thunderclap-headache'],
        (w) => `A sudden or "worst ever" headache ("${w}"): possible bleed, a high-risk situation`,
      ),
  },
  {
    id: 'meningitis-picture',
    level: 2,
    point: 'B',
    system: 'neurological',
    source: SOURCE.pointB,
    passage: PASSAGE.meningitis,
    topic: 'high-risk-situation',
    evaluate({ signals }) {
      const c = signals.complaint;
      if (!signals.fever) return undefined;
      const sign =
        c.get('neck-stiffness') ??
        c.get('petechial-rash') ??
        (c.has('headache') ? (c.get('new-confusion') ?? c.get('dehydration-severe')) : undefined);
      if (sign === undefined) return undefined;
      return {
        reason: `Fever (${signals.fever.what}) with "${sign}": possible meningitis`,
        evidence: signals.fever.evidence,
      };
    },
  },
  {
    id: 'seizure',
    level: 2,
    point: 'B',
    system: 'neurological',
    source: SOURCE.pointBOther,
    passage: PASSAGE.seizure,
    topic: 'high-risk-situation',
    evaluate: (ctx) =>
      complaintHit(ctx, ['seizure'], (w) => `The chief complaint mentions a seizure ("${w}")`),
  },
  {
    id: 'eye-emergency',
    level: 2,
    point: 'B',
    system: 'eye',
    source: SOURCE.pointBOther,
    passage: PASSAGE.eye,
    topic: 'high-risk-situation',
    evaluate: (ctx) =>
      complaintHit(
        ctx,
        ['vision-loss', 'chemical-eye'],
        (w) => `Sudden loss of vision or a chemical in the eye ("${w}"): sight-threatening`,
      ),
  },
];
