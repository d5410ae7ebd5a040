// Allergies: current, not refuted, with criticality, codes and the drug classes of the substance.
import type { AllergyIntolerance } from '@medplum/fhirtypes';
import { classifyAllergen } from '../drug-classes.ts';
import { isCurrentAllergyStatus, isExcludedVerification } from '../status.ts';
import type { AllergyFact } from '../types.ts';
import { codingsOf, refOf, statusCode, textOf } from './fhir-read.ts';

export function allergyFact(a: AllergyIntolerance): AllergyFact | undefined {
  const source = refOf(a);
  if (!source) return undefined;
  if (!isCurrentAllergyStatus(statusCode(a.clinicalStatus))) return undefined;
  if (isExcludedVerification(statusCode(a.verificationStatus))) return undefined;
  const codes = codingsOf(a.code);
  const texts = [a.code?.text ?? '', ...codes.map((c) => c.display ?? '')].filter((t) => t !== '');
  const { ingredients, classes } = classifyAllergen(
    codes.map((c) => c.code ?? '').filter((c) => c !== ''),
    texts,
  );
  return {
    source,
    codes,
    display: textOf(a.code) || 'unnamed substance',
    ...(a.criticality ? { criticality: a.criticality } : {}),
    category: [...(a.category ?? [])],
    classes,
    ...(ingredients.length > 0 ? { ingredients } : {}),
  };
}
