// Every third-party bundle in ../shared/fhir (Synthea and US Core) must build a snapshot and assess
// without error, as of its last encounter (SOURCES.md), and cite only resources that are in the input.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Resource } from '@medplum/fhirtypes';
import { assess } from '../../src/clinical/assess/assess.ts';
import { buildSnapshot } from '../../src/clinical/snapshot/build.ts';
import type { Score } from '../../src/clinical/types.ts';
import { readBundleFile } from '../../src/fhir/bundle-file.ts';
import { SHARED_FHIR_DIR } from '../helpers/shared-data.ts';

const ROOT = SHARED_FHIR_DIR;

function bundleFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? bundleFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : [],
  );
}

/** The end (or start) of the latest encounter: Synthea data is old, so "now" would see nothing current. */
function lastEncounterTime(resources: readonly Resource[]): Date | undefined {
  let last = Number.NEGATIVE_INFINITY;
  for (const r of resources) {
    if (r.resourceType !== 'Encounter') continue;
    const t = Date.parse(r.period?.end ?? r.period?.start ?? '');
    if (t > last) last = t;
  }
  return Number.isFinite(last) ? new Date(last) : undefined;
}

describe('shared FHIR test data', () => {
  const files = existsSync(ROOT) ? bundleFiles(ROOT) : [];
  test('the shared data is present', () => assert.ok(files.length >= 15, `${files.length} bundles`));

  for (const file of files) {
    test(file.slice(ROOT.length + 1), async () => {
      const { resources } = await readBundleFile(file);
      const at = lastEncounterTime(resources) ?? new Date('2026-01-01T00:00:00Z');
      const snapshot = buildSnapshot(resources, { at });
      const a = assess(snapshot);
      assert.equal(snapshot.resources.length, resources.length);
      assert.ok(snapshot.patient.ageYears !== null && snapshot.patient.ageYears >= 0);
      assert.ok([1, 2, 3].includes(a.triage.level));
      const input = new Set(resources.map((r) => `${r.resourceType}/${r.id}`));
      const cited = [
        ...a.triage.evidence,
        ...a.findings.flatMap((f) => f.evidence),
        ...(Object.values(a.scores) as Score[]).flatMap((s) =>
          s.total === null ? (s.evidence ?? []) : s.evidence,
        ),
      ];
      for (const ref of cited) assert.ok(input.has(ref), `${ref} cited but not in the input`);
      for (const series of [...Object.values(snapshot.vitals), ...Object.values(snapshot.labs)]) {
        if (series?.latest) {
          assert.equal(series.latest.implausible, undefined);
          assert.ok(Date.parse(series.latest.at) <= at.getTime());
        }
      }
    });
  }

  test('Synthea specifics: 55284-4 BP panels, 8331-1 temperature and 38483-4 creatinine are read', async () => {
    const file = files.find((f) => f.includes('Clarine_OKeefe'));
    assert.ok(file);
    const { resources } = await readBundleFile(file);
    const s = buildSnapshot(resources, { at: lastEncounterTime(resources)! });
    assert.ok(s.vitals.systolicBP?.latest || (s.vitals.systolicBP?.history.length ?? 0) > 0);
    assert.ok((s.labs.creatinine?.history.length ?? 0) + (s.labs.creatinine?.latest ? 1 : 0) > 0);
    const all = [
      ...(s.vitals.temperature?.history ?? []),
      ...(s.vitals.temperature?.latest ? [s.vitals.temperature.latest] : []),
    ];
    assert.ok(all.length > 0);
    assert.ok(s.medications.some((m) => m.ingredients.includes('warfarin')));
  });

  test('US Core 355: notes decoded as untrusted text; pdex: sulfonamide allergy and insulin', async () => {
    const us = files.find((f) => f.includes('uscore_bundle_patient_355'));
    const pdex = files.find((f) => f.includes('pdex_bundle_patient_999'));
    assert.ok(us && pdex);
    const a = await readBundleFile(us);
    const s1 = buildSnapshot(a.resources, { at: lastEncounterTime(a.resources)! });
    assert.ok(s1.notes.length > 0 && s1.notes.every((n) => n.untrusted && n.text.length > 0));
    const b = await readBundleFile(pdex);
    const s2 = buildSnapshot(b.resources, { at: lastEncounterTime(b.resources)! });
    assert.ok(
      s2.allergies.some((x) => x.classes.includes('sulfonamide-antibiotic') && x.criticality === 'high'),
    );
    assert.ok(s2.medications.some((m) => m.classes.includes('insulin')));
  });
});
