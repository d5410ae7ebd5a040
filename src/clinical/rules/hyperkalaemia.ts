// Hyperkalaemia bands (UK Kidney Association 2020/2023; §2.8): ≥ 5.5 mild, 6.0–6.4 moderate, ≥ 6.5 severe;
// a 12-lead ECG from 6.0.
import { suggest } from '../actions.ts';
import { fmt } from '../format.ts';
import { lab } from '../scores/inputs.ts';
import type { Finding } from '../types.ts';
import { finding, hasClass, type RuleContext } from './context.ts';

const CAUSES = [
  'ace-inhibitor',
  'arb',
  'potassium-sparing-diuretic',
  'potassium-supplement',
  'potassium-raising',
  'nsaid',
] as const;

export function hyperkalaemiaBand(k: number): 'severe' | 'moderate' | 'mild' | undefined {
  if (k >= 6.5) return 'severe';
  if (k >= 6.0) return 'moderate';
  if (k >= 5.5) return 'mild';
  return undefined;
}

export function hyperkalaemia(ctx: RuleContext): Finding[] {
  const k = lab(ctx.snapshot, 'potassium');
  if (!k) return [];
  const band = hyperkalaemiaBand(k.value);
  if (!band) return [];
  const causes = ctx.active.filter((m) => CAUSES.some((c) => hasClass(m, c)));
  const ecg = band !== 'mild';
  return [
    finding({
      id: 'hyperkalaemia',
      severity: band === 'severe' ? 'critical' : 'warning',
      summary: `Potassium ${fmt(k.value)} mmol/L: ${band} hyperkalaemia${ecg ? '; get a 12-lead ECG now' : ''}.`,
      detail: [
        `Potassium ${fmt(k.value)} mmol/L is in the ${band} band (mild 5.5–5.9, moderate 6.0–6.4, severe 6.5 or more).`,
        ecg ? 'From 6.0 an urgent 12-lead ECG is advised; ECG changes call for IV calcium.' : '',
        'A normal ECG with an unexpected result suggests repeating the sample to exclude haemolysis.',
        causes.length > 0
          ? `Drugs that can raise potassium: ${causes.map((m) => m.display).join('; ')}.`
          : '',
      ]
        .filter((l) => l !== '')
        .join('\n'),
      evidence: [k.source, ...causes.map((m) => m.source)],
      topics: ['hyperkalaemia'],
      // From 6.0 the urgent ECG is the action, so its passage leads; a mild result cites the bands.
      query: ecg
        ? 'hyperkalaemia potassium 6.0 mmol/L or more: urgent 12-lead ECG'
        : 'hyperkalaemia severity bands: mild 5.5 to 5.9 mmol/L',
      suggestions: [
        ...(ecg ? [suggest('order-ecg', { isRecommended: true })] : []),
        suggest('order-potassium-recheck'),
      ],
    }),
  ];
}
