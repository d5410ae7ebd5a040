// The whole-list medication review (clinical-sources §2.25 with §2.8, §2.14, §2.21, §2.23, §2.24):
// pairwise interactions, dose limits, drug–lab and Beers rules from the drug table. Scope 'chart' reviews
// every active medicine together (patient-view); scope 'drafts' keeps only problems a draft order is part
// of (order-select / order-sign), so an order hook never repeats the standing list back to the clinician.
import { fmt } from '../format.ts';
import type { ClinicalSnapshot, ReviewItem, ReviewSeverity } from '../types.ts';
import type { DrugTable } from './drug-table.ts';
import { matches, medFingerprint, medLabel, mgText, type ReviewMed, sameDrug } from './review-meds.ts';

export type ReviewScope = 'chart' | 'drafts';

/** A review line plus what the finding needs: the cited passage and the evidence references. */
export interface ReviewLine {
  item: ReviewItem;
  passage: string;
  evidence: string[];
  advice: string;
}

const fingerprint = (meds: ReviewMed[], extra: string[] = []) =>
  [...meds.map(medFingerprint).sort(), ...extra].join('|');

function line(
  rule: string,
  severity: ReviewSeverity,
  meds: ReviewMed[],
  text: string,
  advice: string,
  passage: string,
  extra: { evidence?: string[]; evidenceText?: string[]; labValue?: number } = {},
): ReviewLine {
  const draft = meds.find((m) => m.fact.draft);
  const ingredients = [
    ...new Set(meds.flatMap((m) => (m.ingredients.length ? m.ingredients : [m.fact.display]))),
  ];
  return {
    item: {
      key: `medication-review:${rule}:${ingredients.sort().join('+').toLowerCase()}`,
      group: 'medication-review',
      rule,
      severity,
      text,
      evidenceText: [...meds.map(medLabel), ...(extra.evidenceText ?? [])].join('; '),
      fingerprint: fingerprint(meds),
      ...(extra.labValue !== undefined ? { labValue: extra.labValue } : {}),
      ...(draft ? { draftRef: draft.fact.source } : {}),
    },
    passage,
    evidence: [...meds.map((m) => m.fact.source), ...(extra.evidence ?? [])],
    advice,
  };
}

function pairs(meds: ReviewMed[], scope: ReviewScope): Array<[ReviewMed, ReviewMed]> {
  const out: Array<[ReviewMed, ReviewMed]> = [];
  for (let i = 0; i < meds.length; i++)
    for (let j = i + 1; j < meds.length; j++) {
      const [a, b] = [meds[i], meds[j]];
      if (sameDrug(a, b) || sameDrug(b, a)) continue;
      if (scope === 'drafts' && !a.fact.draft && !b.fact.draft) continue;
      out.push([a, b]);
    }
  return out;
}

function interactions(t: DrugTable, meds: ReviewMed[], scope: ReviewScope): ReviewLine[] {
  const out: ReviewLine[] = [];
  for (const [x, y] of pairs(meds, scope)) {
    for (const r of t.interactions) {
      const ordered =
        matches(x, r.a) && matches(y, r.b) ? [x, y] : matches(y, r.a) && matches(x, r.b) ? [y, x] : null;
      if (!ordered) continue;
      const [a, b] = ordered;
      out.push(
        line(
          r.id,
          r.severity,
          [a, b],
          `${a.fact.display} with ${b.fact.display}: ${r.label}.`,
          `Risk: ${r.mechanism}. ${r.advice}`,
          r.passage,
        ),
      );
    }
  }
  return out;
}

function doseLimits(t: DrugTable, meds: ReviewMed[], scope: ReviewScope): ReviewLine[] {
  const out: ReviewLine[] = [];
  for (const r of t.doseLimits) {
    for (const m of meds.filter((x) => x.ingredients.length === 1 && x.ingredients[0] === r.ingredient)) {
      for (const p of meds.filter((x) => x !== m && !sameDrug(x, m) && matches(x, r.with))) {
        if (scope === 'drafts' && !m.fact.draft && !p.fact.draft) continue;
        const limit = `the limit with ${p.fact.display} is ${mgText(r.maxDailyMg)} a day`;
        let text: string;
        if (m.dailyMg !== undefined) {
          if (m.dailyMg <= r.maxDailyMg) continue;
          text = `${m.fact.display} at ${mgText(m.dailyMg)} a day: ${limit}.`;
        } else if (m.strengthMg === undefined || m.strengthMg > r.maxDailyMg) {
          const strength = m.strengthMg !== undefined ? ` (${mgText(m.strengthMg)} per unit)` : '';
          text = `${m.fact.display}${strength}: ${limit}; check the daily dose.`;
        } else continue;
        out.push(
          line(
            r.id,
            r.severity,
            [m, p],
            text,
            `Keep ${r.ingredient} at or below ${mgText(r.maxDailyMg)} a day, or use another statin.`,
            r.passage,
          ),
        );
      }
    }
  }
  return out;
}

function drugLab(t: DrugTable, s: ClinicalSnapshot, meds: ReviewMed[], scope: ReviewScope): ReviewLine[] {
  const out: ReviewLine[] = [];
  for (const r of t.drugLab) {
    const k = s.labs[r.lab]?.latest;
    if (!k || k.value < r.atLeast) continue;
    const raising = meds.filter((m) => matches(m, r.drug));
    const lead =
      scope === 'drafts' ? raising.filter((m) => m.fact.draft) : raising.length ? [raising[0]] : [];
    for (const d of lead) {
      const others = raising.filter((m) => m !== d);
      const involved = scope === 'drafts' ? [d, ...others] : raising;
      const names = involved.map((m) => m.fact.display).join(', ');
      const kText = `potassium ${fmt(k.value)} ${r.unit} on ${k.at.slice(0, 10)}`;
      out.push(
        line(
          r.id,
          r.severity,
          involved,
          `${scope === 'drafts' ? `${d.fact.display} ordered` : names} while ${kText} (${r.label}).`,
          r.advice,
          r.passage,
          { evidence: [k.source], evidenceText: [kText], labValue: k.value },
        ),
      );
    }
  }
  return out;
}

function beers(t: DrugTable, s: ClinicalSnapshot, meds: ReviewMed[], scope: ReviewScope): ReviewLine[] {
  const age = s.patient.ageYears;
  if (age === null || age < 65) return [];
  const out: ReviewLine[] = [];
  const who = `a patient aged ${age}`;
  for (const m of meds) {
    if (scope === 'drafts' && !m.fact.draft) continue;
    for (const r of t.beers.filter((x) => matches(m, x.drug)))
      out.push(
        line(
          r.id,
          r.severity,
          [m],
          `${m.fact.display} in ${who}: best avoided at 65 and over (${r.why}).`,
          'Consider a safer alternative.',
          r.passage,
          {
            evidence: s.patient.source ? [s.patient.source] : [],
          },
        ),
      );
  }
  for (const [x, y] of pairs(meds, scope)) {
    for (const r of t.beersCombos) {
      const ordered =
        matches(x, r.a) && matches(y, r.b) ? [x, y] : matches(y, r.a) && matches(x, r.b) ? [y, x] : null;
      if (ordered)
        out.push(
          line(
            r.id,
            r.severity,
            ordered,
            `${ordered[0].fact.display} with ${ordered[1].fact.display} in ${who}: ${r.why}.`,
            'Avoid the combination where possible.',
            r.passage,
          ),
        );
    }
  }
  const cns = meds.filter((m) => m.classes.has('cns-active'));
  const distinct = cns.filter((m, i) => cns.findIndex((o) => sameDrug(o, m)) === i);
  if (distinct.length >= t.cnsActive.minCount && (scope === 'chart' || distinct.some((m) => m.fact.draft)))
    out.push(
      line(
        'cns-active-count',
        t.cnsActive.severity,
        distinct,
        `${distinct.length} CNS-active drugs together in ${who}: falls and fractures.`,
        'Reduce the number of CNS-active drugs where possible.',
        t.cnsActive.passage,
      ),
    );
  return out;
}

/** Every medication-review line for the snapshot, most severe first (one order: high, moderate, low). */
export function reviewMedications(
  s: ClinicalSnapshot,
  t: DrugTable,
  meds: ReviewMed[],
  scope: ReviewScope,
): ReviewLine[] {
  const lines = [
    ...interactions(t, meds, scope),
    ...doseLimits(t, meds, scope),
    ...drugLab(t, s, meds, scope),
    ...beers(t, s, meds, scope),
  ];
  const seen = new Set<string>();
  return lines.filter((l) => !seen.has(l.item.key) && seen.add(l.item.key));
}
