import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bundle, Patient, Resource } from '@medplum/fhirtypes';
import { assess } from '../../src/clinical/assess/assess.ts';
import { buildSnapshot } from '../../src/clinical/snapshot/build.ts';
import type { Assessment } from '../../src/clinical/types.ts';
import { shiftBundleDates } from '../../src/demo-fhir/date-shift.ts';
import { DEMO_PATIENTS, readDemoBundle } from '../../src/demo-fhir/demo-patients.ts';

const NOW = new Date('2027-02-10T09:30:00Z');

async function load(id: string): Promise<Resource[]> {
  const bundle = shiftBundleDates(await readDemoBundle(id), NOW);
  return (bundle.entry ?? []).map((e) => e.resource!);
}

async function assessDemo(id: string): Promise<Assessment> {
  const resources = await load(id);
  const drafts = resources.filter((r) => r.resourceType === 'MedicationRequest' && r.status === 'draft');
  const recorded = resources.filter((r) => !drafts.includes(r));
  return assess(buildSnapshot(recorded, { at: NOW, draftOrders: drafts }));
}

const findingIds = (a: Assessment) => a.findings.map((f) => f.id);

describe('demo date shifting', () => {
  it('moves every date by the same amount so readings are recent and ages unchanged', async () => {
    const original = await readDemoBundle('demo-sepsis');
    const shifted = shiftBundleDates(original, NOW);
    const find = (b: Bundle, id: string) =>
      b.entry!.find((e) => e.resource?.id === id)!.resource as Resource & Record<string, string>;
    const before = find(original, 'demo-sepsis-hr-now').effectiveDateTime!;
    const after = find(shifted, 'demo-sepsis-hr-now').effectiveDateTime!;
    assert.equal(Date.parse(original.timestamp!) - Date.parse(before), NOW.getTime() - Date.parse(after));
    assert.equal(NOW.getTime() - Date.parse(after), 30 * 60_000);
    const birth = (b: Bundle) => (find(b, 'demo-sepsis') as Patient).birthDate!;
    const age = (birthDate: string, at: Date) =>
      Math.floor((at.getTime() - Date.parse(birthDate)) / (365.25 * 86_400_000));
    assert.equal(age(birth(shifted), NOW), age(birth(original), new Date(original.timestamp!)));
    assert.equal(shifted.timestamp, NOW.toISOString());
  });

  it('leaves non-date strings alone and refuses a bundle without a timestamp', () => {
    const b: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      timestamp: '2025-01-01T00:00:00Z',
      entry: [{ resource: { resourceType: 'Patient', id: '2024-01-01-not-a-date', gender: 'female' } }],
    };
    assert.equal(shiftBundleDates(b, NOW).entry![0]!.resource!.id, '2024-01-01-not-a-date');
    assert.throws(() => shiftBundleDates({ resourceType: 'Bundle', type: 'collection' }, NOW), /timestamp/);
  });
});

describe('demo patients show what they say they show', () => {
  it('has at least eight patients, each with an encounter, recent vitals and a fictional-data tag', async () => {
    assert.ok(DEMO_PATIENTS.length >= 8);
    for (const p of DEMO_PATIENTS) {
      const resources = await load(p.id);
      const patient = resources.find((r): r is Patient => r.resourceType === 'Patient');
      assert.equal(patient?.id, p.id);
      assert.ok(
        patient?.meta?.tag?.some((t) => t.code === 'fictional'),
        `${p.id} is tagged fictional`,
      );
      assert.ok(
        resources.some((r) => r.resourceType === 'Encounter'),
        `${p.id} has an encounter`,
      );
      const snapshot = buildSnapshot(resources, { at: NOW });
      assert.ok(snapshot.vitals.heartRate?.latest, `${p.id} has a current heart rate`);
      assert.ok(snapshot.vitals.systolicBP?.latest, `${p.id} has a current blood pressure`);
    }
  });

  it('sepsis: positive screen with NEWS2 9 and qSOFA 2', async () => {
    const a = await assessDemo('demo-sepsis');
    assert.ok(findingIds(a).includes('sepsis-screen'));
    assert.equal(a.scores.news2.total, 9);
    assert.equal(a.scores.qsofa.total, 2);
  });

  it('atrial fibrillation without anticoagulation: CHA2DS2-VASc 5 and a finding', async () => {
    const a = await assessDemo('demo-afib');
    assert.equal(a.scores.cha2ds2vasc.total, 5);
    assert.ok(findingIds(a).includes('afib-anticoagulation'));
  });

  it('CKD on metformin: eGFR under 30, a metformin finding and an NSAID finding for the draft', async () => {
    const a = await assessDemo('demo-ckd-metformin');
    const egfr = a.scores.egfr.total;
    assert.ok(egfr !== null && egfr < 30, `eGFR ${egfr}`);
    assert.ok(findingIds(a).includes('metformin-renal'));
    assert.ok(findingIds(a).includes('nsaid-renal'));
  });

  it('penicillin allergy: the amoxicillin draft is flagged as critical', async () => {
    const a = await assessDemo('demo-penicillin-allergy');
    const f = a.findings.find((x) => x.id === 'drug-allergy');
    assert.equal(f?.severity, 'critical');
  });

  it('hyperkalaemia: potassium 6.8 raises a critical finding', async () => {
    const a = await assessDemo('demo-hyperkalaemia');
    assert.equal(a.findings.find((x) => x.id === 'hyperkalaemia')?.severity, 'critical');
  });

  it('two-year-old with danger-zone vitals: triage floor ESI 2, adult scores not applied', async () => {
    const a = await assessDemo('demo-paediatric');
    assert.equal(a.triage.floorLevel, 2);
    assert.equal(a.scores.news2.total, null);
  });

  it('head injury on apixaban: flagged', async () => {
    const a = await assessDemo('demo-head-injury');
    assert.ok(findingIds(a).includes('head-injury-anticoagulant'));
  });

  it('healthy control: no warning or critical finding and no triage floor', async () => {
    const a = await assessDemo('demo-healthy');
    assert.deepEqual(
      a.findings.filter((f) => f.severity !== 'info').map((f) => f.id),
      [],
    );
    assert.equal(a.triage.floorLevel, null);
    assert.equal(a.scores.news2.total, 0);
  });
});
