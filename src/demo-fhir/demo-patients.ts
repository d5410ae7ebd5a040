// The bundled demo patients: one per capability, each a FHIR transaction Bundle with stable ids
// (PUT Type/id) so the CLI, the SMART app and the docs can name them.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Bundle } from '@medplum/fhirtypes';
import { z } from 'zod';

export const DEMO_PATIENTS_DIR = fileURLToPath(new URL('../../demo/patients/', import.meta.url));

export interface DemoPatient {
  id: string;
  /** What the patient demonstrates, shown by `citecare demo`. */
  shows: string;
}

export const DEMO_PATIENTS: readonly DemoPatient[] = [
  { id: 'demo-sepsis', shows: 'positive sepsis screen: fever, tachycardia, tachypnoea, low BP, lactate 4.1' },
  { id: 'demo-afib', shows: 'atrial fibrillation without anticoagulation (CHA2DS2-VASc 5)' },
  { id: 'demo-ckd-metformin', shows: 'CKD stage 4 (eGFR 24) on metformin; ibuprofen drafted' },
  { id: 'demo-penicillin-allergy', shows: 'high-criticality penicillin allergy; amoxicillin drafted' },
  { id: 'demo-hyperkalaemia', shows: 'potassium 6.8 mmol/L on lisinopril and spironolactone' },
  { id: 'demo-paediatric', shows: '2-year-old with danger-zone vitals (HR 170, RR 46)' },
  { id: 'demo-head-injury', shows: 'head injury while taking apixaban' },
  { id: 'demo-healthy', shows: 'healthy control: nothing urgent should fire' },
];

const bundleFile = z.object({
  resourceType: z.literal('Bundle'),
  type: z.enum(['transaction', 'collection', 'batch']),
  timestamp: z.string(),
  entry: z
    .array(
      z.object({
        resource: z.looseObject({ resourceType: z.string(), id: z.string().min(1) }),
      }),
    )
    .min(1),
});

/** Reads and checks one demo bundle (as written, dates not yet shifted). */
export async function readDemoBundle(id: string, dir = DEMO_PATIENTS_DIR): Promise<Bundle> {
  const raw: unknown = JSON.parse(await readFile(`${dir.replace(/\/+$/, '')}/${id}.json`, 'utf8'));
  const parsed = bundleFile.safeParse(raw);
  if (!parsed.success) throw new Error(`demo patient ${id}: ${parsed.error.issues[0]?.message}`);
  return raw as Bundle;
}
