// Medicines and conditions that leave a patient immunocompromised (clinical-sources §1.5.1: oncology
// patients on or recently after chemotherapy, transplant recipients and candidates, transplant drugs,
// high-dose steroids, biologics). Medicines are recognised by ingredient key or by name in their text,
// because orders carry clinical-drug codes that our ingredient table does not list.
import { inGroup, recordsHistory } from '../conditions-query.ts';
import type { ConditionFact, MedicationFact, ResourceRef } from '../types.ts';

/** Cytotoxic and targeted anticancer drugs commonly given in cycles. */
const CHEMOTHERAPY = [
  'cisplatin',
  'carboplatin',
  'oxaliplatin',
  'cyclophosphamide',
  'ifosfamide',
  'doxorubicin',
  'epirubicin',
  'daunorubicin',
  'paclitaxel',
  'docetaxel',
  'fluorouracil',
  'capecitabine',
  'gemcitabine',
  'etoposide',
  'irinotecan',
  'topotecan',
  'vincristine',
  'vinblastine',
  'vinorelbine',
  'pemetrexed',
  'cytarabine',
  'bendamustine',
  'bleomycin',
  'temozolomide',
  'azacitidine',
  'fludarabine',
  'methotrexate',
];
/** Transplant and other maintenance immunosuppressants. */
const TRANSPLANT_DRUGS = [
  'tacrolimus',
  'ciclosporin',
  'cyclosporine',
  'mycophenolate',
  'mycophenolic',
  'sirolimus',
  'everolimus',
  'azathioprine',
  'belatacept',
];
/** Biologic immunosuppressants (TNF inhibitors, B-cell depleters, interleukin blockers, and the like). */
const BIOLOGICS = [
  'infliximab',
  'adalimumab',
  'etanercept',
  'certolizumab',
  'golimumab',
  'rituximab',
  'ocrelizumab',
  'tocilizumab',
  'abatacept',
  'ustekinumab',
  'secukinumab',
  'vedolizumab',
  'natalizumab',
  'alemtuzumab',
  'anakinra',
];
/**
 * Corticosteroids with their prednisone-equivalent factor. A strength of 20 mg prednisone equivalent or
 * more in the medicine's name counts as high-dose: the common threshold for immunosuppression [our
 * reading; clinical-sources names "high-dose steroids" without a number].
 */
const STEROIDS: Record<string, number> = {
  prednisone: 1,
  prednisolone: 1,
  methylprednisolone: 1.25,
  dexamethasone: 6.67,
  hydrocortisone: 0.25,
};
export const HIGH_DOSE_PREDNISONE_MG = 20;

function names(m: MedicationFact): string {
  return `${m.ingredients.join(' ')} ${m.display}`.toLowerCase();
}

function highDoseSteroid(m: MedicationFact): boolean {
  const text = names(m);
  for (const [drug, factor] of Object.entries(STEROIDS)) {
    if (!text.includes(drug)) continue;
    const mg = /(\d+(?:\.\d+)?)\s*mg\b/.exec(text);
    if (mg && Number(mg[1]) * factor >= HIGH_DOSE_PREDNISONE_MG) return true;
  }
  return false;
}

export type ImmunoKind = 'chemotherapy' | 'transplant drug' | 'biologic' | 'high-dose steroid';

export function immunosuppressantKind(m: MedicationFact): ImmunoKind | undefined {
  const text = names(m);
  if (CHEMOTHERAPY.some((d) => text.includes(d))) return 'chemotherapy';
  if (TRANSPLANT_DRUGS.some((d) => text.includes(d))) return 'transplant drug';
  if (BIOLOGICS.some((d) => text.includes(d))) return 'biologic';
  if (highDoseSteroid(m)) return 'high-dose steroid';
  return undefined;
}

export function immunocompromisingCondition(c: ConditionFact): boolean {
  return !recordsHistory(c) && inGroup(c, 'immunocompromise');
}

export interface Immunocompromise {
  what: string;
  evidence?: ResourceRef;
}

/** Everything in the record that says the patient is immunocompromised (active or in the last 6 weeks). */
export function immunocompromise(
  conditions: readonly ConditionFact[],
  active: readonly MedicationFact[],
  recent: readonly MedicationFact[],
): Immunocompromise[] {
  const out: Immunocompromise[] = [];
  for (const m of active) {
    const kind = immunosuppressantKind(m);
    if (kind) out.push({ what: `${kind} (${m.display})`, evidence: m.source });
  }
  for (const m of recent) {
    if (immunosuppressantKind(m) === 'chemotherapy')
      out.push({ what: `chemotherapy in the last 6 weeks (${m.display})`, evidence: m.source });
  }
  for (const c of conditions)
    if (immunocompromisingCondition(c)) out.push({ what: c.display, evidence: c.source });
  return out;
}
