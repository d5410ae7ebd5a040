// Each triage reason cites its own passage (issue 11): over every vignette (eval/vignettes and its
// subfolders, holdout included, and tests/fixtures/vignettes), every rule's citation is the passage its
// rule names, that passage carries the rule's topic, and nobody older than 3 months is cited a passage
// written for young infants.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Resource } from '@medplum/fhirtypes';
import { assess } from '../../src/clinical/assess/assess.ts';
import { buildSnapshot } from '../../src/clinical/snapshot/build.ts';
import { DEFAULT_PASSAGE } from '../../src/clinical/triage/floor.ts';
import { TRIAGE_RULES } from '../../src/clinical/triage/index.ts';
import { PASSAGE } from '../../src/clinical/triage/passages.ts';
import type { ClinicalSnapshot } from '../../src/clinical/types.ts';
import { testConfig } from '../../src/config.ts';
import { loadVignettes, VIGNETTES_DIR } from '../../src/evaluation/vignettes.ts';
import { createGuidelineIndex, guidelineIndexOptions } from '../../src/guidelines/create-guideline-index.ts';
import type { GuidelineIndex } from '../../src/guidelines/types.ts';
import { citeTriage, triageCitationsOf } from '../../src/pipeline/retrieve.ts';
import { readManifest, vignetteSnapshot } from '../fixtures/vignettes/manifest.ts';

let index: GuidelineIndex;
const cases: Array<{ name: string; snapshot: ClinicalSnapshot }> = [];

before(async () => {
  index = await createGuidelineIndex(guidelineIndexOptions(testConfig(), { cache: 'off' }));
  const dirs = [
    VIGNETTES_DIR,
    ...readdirSync(VIGNETTES_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(VIGNETTES_DIR, d.name)),
  ];
  for (const dir of dirs) {
    for (const v of await loadVignettes(dir)) {
      const resources = (v.bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource as Resource] : []));
      cases.push({
        name: v.id,
        snapshot: buildSnapshot(resources, { at: new Date(v.at), chiefComplaint: v.chiefComplaint }),
      });
    }
  }
  for (const m of readManifest())
    cases.push({ name: m.file, snapshot: (await vignetteSnapshot(m)).snapshot });
});

const INFANT_TOPIC = 'fever-infant';

describe('triage citations', () => {
  test('every passage a rule can cite exists in the bundled corpus and carries the rule topic', () => {
    for (const id of Object.values(PASSAGE)) assert.ok(index.get(id), `${id} is not in the corpus`);
    for (const rule of TRIAGE_RULES) {
      const p = index.get(rule.passage);
      assert.ok(p, `${rule.id}: ${rule.passage}`);
      assert.ok(p.topics.includes(rule.topic), `${rule.id}: ${rule.passage} lacks topic ${rule.topic}`);
    }
  });

  test('over every vignette, each reason cites the passage about that reason', () => {
    assert.ok(cases.length >= 100, `only ${cases.length} vignettes found`);
    let reasons = 0;
    for (const { name, snapshot } of cases) {
      const triage = citeTriage(index, assess(snapshot).triage);
      for (const r of [...(triage.rules ?? []), ...(triage.advisories ?? [])]) {
        reasons++;
        assert.ok(r.citation, `${name}: ${r.id} has no citation`);
        assert.equal(r.citation.chunkId, r.passage, `${name}: ${r.id}`);
        const p = index.get(r.citation.chunkId)!;
        assert.ok(
          p.topics.includes(r.topic!),
          `${name}: ${r.id} cites ${p.chunkId} without topic ${r.topic}`,
        );
        assert.ok(p.text.includes(r.citation.quote), `${name}: ${r.id} quote is not in the passage`);
        if (r.id.startsWith('news2')) assert.match(r.citation.chunkId, /^news2-escalation#/);
        if (r.id === 'danger-zone') assert.match(r.citation.chunkId, /^esi-danger-zone-vitals#/);
      }
      if ((triage.rules ?? []).length === 0)
        assert.equal(triage.citation?.chunkId, DEFAULT_PASSAGE.passage, `${name}: default reason citation`);
      const months = snapshot.patient.ageMonths;
      for (const c of triageCitationsOf(triage)) {
        const infantOnly = index.get(c.chunkId)!.topics.includes(INFANT_TOPIC);
        assert.ok(
          !infantOnly || (months !== null && months < 3),
          `${name} (${months} months) cites ${c.chunkId}`,
        );
      }
    }
    assert.ok(reasons > 100, `only ${reasons} reasons checked`);
  });
});
