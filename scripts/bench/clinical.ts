// Benchmark: buildSnapshot + assess on the largest Synthea bundle and on a generated 10,000-resource patient.
// Prints median and p95 over repeated runs. Targets: < 50 ms and < 300 ms.
// Run: node --import tsx scripts/bench/clinical.ts [runs]
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { assess } from '../../src/clinical/assess/assess.ts';
import { buildSnapshot } from '../../src/clinical/snapshot/build.ts';
import { readBundleFile } from '../../src/fhir/bundle-file.ts';
import { SYNTHEA_DIR } from '../../tests/helpers/shared-data.ts';

// Runs per case; the small case gets more so its p95 is not just one scheduler hiccup on a busy machine.
const RUNS = Number(process.argv[2] ?? 50);
const SMALL_RUNS = RUNS * 4;

function stats(samples: number[]): { median: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { median: q(0.5), p95: q(0.95) };
}

function time(
  resources: Resource[],
  at: Date,
  drafts: Resource[] = [],
  runs = RUNS,
): { median: number; p95: number } {
  for (let i = 0; i < 5; i++) assess(buildSnapshot(resources, { at, draftOrders: drafts }));
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    assess(buildSnapshot(resources, { at, draftOrders: drafts }));
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

function lastEncounter(resources: Resource[]): Date {
  let last = 0;
  for (const r of resources)
    if (r.resourceType === 'Encounter')
      last = Math.max(last, Date.parse(r.period?.end ?? r.period?.start ?? '') || 0);
  return new Date(last);
}

/** A synthetic patient with `n` resources: mostly observations, as in real charts. */
export function generatedPatient(n: number, at: Date): Resource[] {
  const out: Resource[] = [
    { resourceType: 'Patient', id: 'bench-p', gender: 'male', birthDate: '1950-01-01' },
  ];
  const atMs = at.getTime();
  const vitals: Array<[string, number, string]> = [
    ['8867-4', 88, '/min'],
    ['9279-1', 18, '/min'],
    ['8310-5', 37.2, 'Cel'],
    ['59408-5', 95, '%'],
    ['67775-7', 0, ''],
  ];
  const labs: Array<[string, number, string]> = [
    ['2160-0', 1.3, 'mg/dL'],
    ['2823-3', 4.6, 'mmol/L'],
    ['2345-7', 110, 'mg/dL'],
    ['6690-2', 9, '10*3/uL'],
    ['2524-7', 1.4, 'mmol/L'],
  ];
  let i = 0;
  const when = (k: number) => new Date(atMs - k * 37 * 60_000).toISOString();
  while (out.length < n) {
    const k = i++;
    const bucket = k % 20;
    if (bucket < 12) {
      const [code, v, unit] = vitals[k % vitals.length];
      out.push(
        code === '67775-7'
          ? {
              resourceType: 'Observation',
              id: `o${k}`,
              status: 'final',
              code: { coding: [{ system: 'http://loinc.org', code }] },
              effectiveDateTime: when(k),
              valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '248234008' }] },
            }
          : {
              resourceType: 'Observation',
              id: `o${k}`,
              status: 'final',
              code: { coding: [{ system: 'http://loinc.org', code }] },
              effectiveDateTime: when(k),
              valueQuantity: {
                value: v + (k % 7) - 3,
                unit,
                system: 'http://unitsofmeasure.org',
                code: unit,
              },
            },
      );
    } else if (bucket < 13) {
      out.push({
        resourceType: 'Observation',
        id: `bp${k}`,
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
        effectiveDateTime: when(k),
        component: [
          {
            code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
            valueQuantity: { value: 120 + (k % 30), unit: 'mm[Hg]' },
          },
          {
            code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
            valueQuantity: { value: 75, unit: 'mm[Hg]' },
          },
        ],
      });
    } else if (bucket < 16) {
      const [code, v, unit] = labs[k % labs.length];
      out.push({
        resourceType: 'Observation',
        id: `l${k}`,
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code }] },
        effectiveDateTime: when(k),
        valueQuantity: { value: v, unit, system: 'http://unitsofmeasure.org', code: unit },
      });
    } else if (bucket < 17) {
      out.push({
        resourceType: 'Condition',
        id: `c${k}`,
        subject: { reference: 'Patient/bench-p' },
        clinicalStatus: { coding: [{ code: k % 3 ? 'active' : 'resolved' }] },
        code: {
          text: [
            'Hypertension',
            'Atrial fibrillation',
            'Type 2 diabetes mellitus',
            'Pneumonia',
            'Osteoarthritis of knee',
          ][k % 5],
        },
      });
    } else if (bucket < 18) {
      out.push({
        resourceType: 'MedicationRequest',
        id: `m${k}`,
        status: k % 4 ? 'active' : 'stopped',
        intent: 'order',
        subject: { reference: 'Patient/bench-p' },
        medicationCodeableConcept: {
          text: [
            'Metformin 500 MG',
            'Lisinopril 10 MG',
            'Warfarin 5 MG',
            'Ibuprofen 200 MG',
            'Sertraline 50 MG',
          ][k % 5],
        },
      });
    } else if (bucket < 19) {
      out.push({
        resourceType: 'Encounter',
        id: `e${k}`,
        status: 'finished',
        class: { code: 'AMB' },
        period: { start: when(k), end: when(k - 1) },
      });
    } else if (k % 3 === 0) {
      out.push({
        resourceType: 'DocumentReference',
        id: `d${k}`,
        status: 'current',
        date: when(k),
        content: [
          {
            attachment: {
              contentType: 'text/plain',
              data: Buffer.from(`Progress note ${k}: stable, plan unchanged.`).toString('base64'),
            },
          },
        ],
      });
    } else {
      out.push({
        resourceType: 'AllergyIntolerance',
        id: `a${k}`,
        clinicalStatus: { coding: [{ code: 'active' }] },
        code: { text: k % 2 ? 'Penicillin' : 'Peanuts' },
        patient: { reference: 'Patient/bench-p' },
      });
    }
  }
  return out;
}

const verdict = (p95: number, target: number) => (p95 < target ? 'met' : 'NOT met');

if (existsSync(SYNTHEA_DIR)) {
  const largest = readdirSync(SYNTHEA_DIR)
    .map((f) => join(SYNTHEA_DIR, f))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0];
  const { resources } = await readBundleFile(largest);
  const r1 = time(resources, lastEncounter(resources), [], SMALL_RUNS);
  console.log(
    `largest Synthea (${resources.length} resources): median ${r1.median.toFixed(2)} ms, p95 ${r1.p95.toFixed(2)} ms (target < 50 ms: ${verdict(r1.p95, 50)})`,
  );
} else {
  console.log(`(skipped the Synthea run: ${SYNTHEA_DIR} is not present)`);
}

const at2 = new Date('2026-03-01T12:00:00Z');
const gen = generatedPatient(10_000, at2);
const drafts: Resource[] = [
  {
    resourceType: 'MedicationRequest',
    id: 'draft-1',
    status: 'draft',
    intent: 'order',
    subject: { reference: 'Patient/bench-p' },
    medicationCodeableConcept: { text: 'Amoxicillin 500 MG' },
  },
  {
    resourceType: 'MedicationRequest',
    id: 'draft-2',
    status: 'draft',
    intent: 'order',
    subject: { reference: 'Patient/bench-p' },
    medicationCodeableConcept: { text: 'Phenelzine 15 MG' },
  },
];
const r2 = time(gen, at2, drafts);
console.log(
  `generated patient (${gen.length} resources + ${drafts.length} drafts): median ${r2.median.toFixed(2)} ms, p95 ${r2.p95.toFixed(2)} ms (target < 300 ms: ${verdict(r2.p95, 300)})`,
);
