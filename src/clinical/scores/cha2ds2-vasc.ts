// CHA2DS2-VASc (Lip et al., Chest 2010) with the 2023 ACC/AHA/ACCP/HRS thresholds (clinical-sources §1.6):
// anticoagulation recommended at ≥ 2 (men) / ≥ 3 (women); reasonable at 1 (men) / 2 (women).
// Computed only when atrial fibrillation is a current condition: the thresholds mean nothing without it.

import type { ConditionGroup } from '../condition-groups.ts';
import { conditionsIn } from '../conditions-query.ts';
import type { ClinicalSnapshot, ResourceRef, Score } from '../types.ts';

export type Cha2ds2VascBand = 'anticoagulation-recommended' | 'anticoagulation-reasonable' | 'low';

export function cha2ds2VascBand(total: number, sex: 'female' | 'male'): Cha2ds2VascBand {
  const recommended = sex === 'female' ? 3 : 2;
  if (total >= recommended) return 'anticoagulation-recommended';
  if (total >= recommended - 1) return 'anticoagulation-reasonable';
  return 'low';
}

export function cha2ds2Vasc(s: ClinicalSnapshot): Score {
  const af = conditionsIn(s.conditions, 'atrialFibrillation');
  if (af.length === 0)
    return { total: null, reason: 'No current atrial fibrillation or flutter is recorded.' };
  const { ageYears, sex } = s.patient;
  if (ageYears === null) return { total: null, reason: 'CHA2DS2-VASc needs the age.', missing: ['age'] };
  if (sex !== 'female' && sex !== 'male') {
    return { total: null, reason: 'CHA2DS2-VASc needs the sex category (female or male).', missing: ['sex'] };
  }
  const evidence = new Set<ResourceRef>(af.map((c) => c.source));
  if (s.patient.source) evidence.add(s.patient.source);
  const has = (g: ConditionGroup) => {
    const found = conditionsIn(s.conditions, g);
    for (const c of found) evidence.add(c.source);
    return found.length > 0;
  };
  const components = {
    congestiveHeartFailure: has('heartFailure') ? 1 : 0,
    hypertension: has('hypertension') ? 1 : 0,
    age: ageYears >= 75 ? 2 : ageYears >= 65 ? 1 : 0,
    diabetes: has('diabetes') ? 1 : 0,
    strokeTiaThromboembolism: has('strokeTia') ? 2 : 0,
    vascularDisease: has('vascularDisease') ? 1 : 0,
    sexFemale: sex === 'female' ? 1 : 0,
  };
  const total = Object.values(components).reduce((a, b) => a + b, 0);
  return { total, components, band: cha2ds2VascBand(total, sex), evidence: [...evidence] };
}
