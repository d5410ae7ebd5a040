// Every hand-written vignette in tests/fixtures/vignettes/manifest.json: expected triage floor, NEWS2 and
// qSOFA totals (or null), finding ids, and that every cited Type/id exists in the input.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assess } from '../../src/clinical/assess/assess.ts';
import type { Assessment, Score, Series } from '../../src/clinical/types.ts';
import { type ManifestEntry, readManifest, vignetteSnapshot } from '../fixtures/vignettes/manifest.ts';

const manifest = { vignettes: readManifest() };

/** Every Type/id an assessment cites. */
function citedRefs(a: Assessment): string[] {
  const refs: string[] = [...a.triage.evidence];
  for (const f of a.findings) {
    refs.push(...f.evidence);
    for (const s of f.suggestions) if (s.targetRef) refs.push(s.targetRef);
  }
  for (const s of Object.values(a.scores) as Score[])
    refs.push(...(s.total === null ? (s.evidence ?? []) : s.evidence));
  for (const r of a.triage.rules ?? []) refs.push(...r.evidence);
  return refs;
}

async function run(v: ManifestEntry) {
  const { resources, snapshot } = await vignetteSnapshot(v);
  return { resources, snapshot, assessment: assess(snapshot) };
}

describe('clinical vignettes', () => {
  test('there are at least 40 vignettes covering the required situations', () => {
    assert.ok(manifest.vignettes.length >= 40);
    const names = manifest.vignettes.map((v) => v.file).join(' ');
    for (const must of [
      'paeds-neonate',
      'paeds-infant',
      'paeds-toddler',
      'paeds-child',
      'paeds-adolescent',
      'pregnancy',
      'elderly',
      'fahrenheit',
      'pound',
      'duplicate-readings',
      'implausible',
      'after-at',
      'entered-in-error',
      'missing-data',
    ]) {
      assert.ok(names.includes(must), `a vignette for ${must}`);
    }
  });

  for (const v of manifest.vignettes) {
    test(`${v.file}: ${v.description}`, async () => {
      const { resources, snapshot, assessment: a } = await run(v);
      const e = v.expected;
      assert.equal(a.triage.floorLevel, e.floorLevel, `floor; reasons: ${a.triage.reasons.join(' | ')}`);
      assert.equal(a.triage.level, e.level);
      assert.equal(a.triage.basis, e.floorLevel === null ? 'default' : 'floor');
      assert.equal(a.scores.news2.total, e.news2, `NEWS2 ${JSON.stringify(a.scores.news2)}`);
      assert.equal(a.scores.qsofa.total, e.qsofa, `qSOFA ${JSON.stringify(a.scores.qsofa)}`);
      assert.deepEqual(
        [...new Set(a.findings.map((f) => f.id))].sort(),
        e.findings,
        a.findings.map((f) => f.summary).join(' | '),
      );
      if (e.sirs !== undefined) assert.equal(a.scores.sirs.total, e.sirs);
      if (e.cha2ds2vasc !== undefined) assert.equal(a.scores.cha2ds2vasc.total, e.cha2ds2vasc);
      if (e.egfrRounded !== undefined) {
        const t = a.scores.egfr.total;
        assert.equal(t === null ? null : Math.round(t), e.egfrRounded);
      }
      for (const id of e.triageRules ?? []) {
        assert.ok(
          a.triage.rules?.some((r) => r.id === id),
          `triage rule ${id} in ${a.triage.rules?.map((r) => r.id)}`,
        );
      }
      for (const w of e.warnings ?? [])
        assert.ok(
          snapshot.warnings.some((x) => x.includes(w)),
          `warning "${w}" in ${snapshot.warnings}`,
        );
      for (const [kind, value] of Object.entries(e.latest ?? {})) {
        const m =
          (snapshot.vitals as Record<string, { latest?: { value: number } }>)[kind]?.latest ??
          (snapshot.labs as Record<string, { latest?: { value: number } }>)[kind]?.latest;
        assert.ok(m, `latest ${kind}`);
        assert.ok(Math.abs(m.value - value) < 0.05, `${kind} ${m.value} ≈ ${value}`);
      }
      for (const kind of e.unusable ?? []) {
        const series =
          (snapshot.vitals as Record<string, Series | undefined>)[kind] ??
          (snapshot.labs as Record<string, Series | undefined>)[kind];
        assert.equal(series?.latest, undefined, `no latest ${kind}`);
        assert.match(series?.unusable?.implausible ?? '', /plausible range/);
      }
      if (e.pregnant !== undefined) assert.equal(snapshot.patient.pregnant, e.pregnant);
      if (e.tentativeConditions !== undefined) {
        assert.equal(snapshot.conditions.filter((c) => c.tentative).length, e.tentativeConditions);
      }

      // General invariants.
      const input = new Set(resources.map((r) => `${r.resourceType}/${r.id}`));
      for (const ref of citedRefs(a)) assert.ok(input.has(ref), `${ref} is in the input`);
      assert.ok(a.triage.floorLevel === null || a.triage.level <= a.triage.floorLevel);
      assert.ok(a.triage.reasons.length > 0);
      for (const f of a.findings) {
        assert.ok(f.summary.length < 140, f.summary);
        assert.ok(f.evidence.length > 0, `${f.id} has evidence`);
        assert.deepEqual(f.citations, []);
        for (const s of f.suggestions)
          if (s.action === 'remove-draft-order') assert.ok(v.draftOrders.includes(s.targetRef ?? ''));
      }
      const json = JSON.stringify(snapshot);
      assert.ok(!json.includes('birthDate'), 'no birth date in the snapshot');
    });
  }
});
