// Hypoglycaemia levels (ADA / IHSG; §2.6): level 1 < 70 and ≥ 54 mg/dL; level 2 < 54 mg/dL.
import { suggest } from '../actions.ts';
import { fmt } from '../format.ts';
import { lab } from '../scores/inputs.ts';
import type { Finding } from '../types.ts';
import { GLUCOSE_MGDL_PER_MMOL } from '../units.ts';
import { finding, hasClass, type RuleContext } from './context.ts';

export function hypoglycaemiaLevel(mgdl: number): 1 | 2 | undefined {
  if (mgdl < 54) return 2;
  if (mgdl < 70) return 1;
  return undefined;
}

export function hypoglycaemia(ctx: RuleContext): Finding[] {
  const g = lab(ctx.snapshot, 'glucose');
  if (!g) return [];
  const level = hypoglycaemiaLevel(g.value);
  if (!level) return [];
  const culprits = ctx.active.filter((m) => hasClass(m, 'insulin') || hasClass(m, 'sulfonylurea'));
  const mmol = fmt(g.value / GLUCOSE_MGDL_PER_MMOL);
  return [
    finding({
      id: 'hypoglycaemia',
      severity: level === 2 ? 'critical' : 'warning',
      summary: `Glucose ${fmt(g.value, 0)} mg/dL (${mmol} mmol/L): level ${level} hypoglycaemia${level === 2 ? ', act now' : ''}.`,
      detail: [
        level === 2
          ? 'Below 54 mg/dL (3.0 mmol/L) is clinically significant hypoglycaemia that needs immediate treatment.'
          : 'Between 54 and 69 mg/dL is an alert value: give fast-acting carbohydrate and review therapy.',
        culprits.length > 0
          ? `Glucose-lowering drugs on record: ${culprits.map((m) => m.display).join('; ')}.`
          : '',
      ]
        .filter((l) => l !== '')
        .join('\n'),
      evidence: [g.source, ...culprits.map((m) => m.source)],
      topics: ['hypoglycaemia', 'diabetes'],
      query:
        level === 2
          ? 'level 2 hypoglycaemia: glucose below 54 mg/dL, clinically significant, immediate action'
          : 'level 1 hypoglycaemia: glucose below 70 and at or above 54 mg/dL, alert value, fast-acting carbohydrate',
      suggestions: [suggest('order-glucose-recheck')],
    }),
  ];
}
