// Prompt size per patient: the rendered model prompt (system + user, o200k_base) against the raw
// FHIR JSON it was built from. Target: every prompt under 2,500 tokens.
// Usage: node --import tsx scripts/bench/tokens.ts [--dir ../shared/fhir] [--kind triage|summary] [--json]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { assess } from '../../src/clinical/assess/assess.ts';
import { buildSnapshot } from '../../src/clinical/snapshot/build.ts';
import { bundleResources } from '../../src/fhir/bundle-resources.ts';
import { Bm25GuidelineIndex } from '../../src/guidelines/bm25-index.ts';
import { BUNDLED_GUIDELINES_DIR, loadCorpus } from '../../src/guidelines/corpus.ts';
import type { Passage } from '../../src/guidelines/types.ts';
import { loadPrompts, renderPrompt, selectPrompt } from '../../src/llm/prompts.ts';
import { renderAdviceInput } from '../../src/llm/render.ts';
import { countMessageTokens, countTokens } from '../../src/llm/tokens.ts';
import { SHARED_FHIR_DIR } from '../../tests/helpers/shared-data.ts';

const TARGET = 2500;

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: SHARED_FHIR_DIR },
    kind: { type: 'string', default: 'triage' },
    json: { type: 'boolean', default: false },
  },
});
const kind = values.kind === 'summary' ? 'summary' : 'triage';

function files(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.json') ? [p] : [];
    })
    .sort();
}

/** Synthea data is old: assess each patient as of its last encounter, not today. */
function lastEncounterTime(resources: Resource[]): Date {
  let latest = 0;
  for (const r of resources) {
    if (r.resourceType !== 'Encounter') continue;
    for (const t of [r.period?.end, r.period?.start]) if (t) latest = Math.max(latest, Date.parse(t) || 0);
  }
  return latest ? new Date(latest) : new Date();
}

const corpus = await loadCorpus([BUNDLED_GUIDELINES_DIR]);
const index = Bm25GuidelineIndex.build(corpus.passages, corpus.corpusVersion);
const prompt = selectPrompt(loadPrompts(), kind);

const rows: Array<Record<string, string | number>> = [];
for (const file of files(values.dir!)) {
  const raw = readFileSync(file, 'utf8');
  const bundle = JSON.parse(raw) as Bundle;
  const resources = bundleResources(bundle);
  const snapshot = buildSnapshot(resources, { at: lastEncounterTime(resources) });
  const assessment = assess(snapshot);
  // Retrieval as the pipeline does it: the findings' topics first, then the active conditions.
  const passages = new Map<string, Passage>();
  for (const f of assessment.findings) {
    for (const p of await index.search({ text: f.query ?? f.summary, topics: f.topics, k: 2 }))
      passages.set(p.chunkId, p);
  }
  if (passages.size < 3) {
    const text = snapshot.conditions.map((c) => c.display).join(' ');
    if (text) for (const p of await index.search({ text, k: 3 })) passages.set(p.chunkId, p);
  }
  const chosen = [...passages.values()].slice(0, 6);
  const systemTokens = countTokens(prompt.system) + 40;
  const rendered = renderAdviceInput(
    { snapshot, assessment, passages: chosen },
    { maxTokens: TARGET - systemTokens },
  );
  const messages = await renderPrompt(prompt, { input: rendered.text });
  const promptTokens = countMessageTokens(messages.messages);
  const fhirTokens = countTokens(raw);
  rows.push({
    patient: basename(file, '.json').replace(/_[0-9a-f-]{36}$/, ''),
    resources: resources.length,
    fhirTokens,
    promptTokens,
    ratio: Math.round((fhirTokens / promptTokens) * 10) / 10,
    detail: rendered.detail,
    evidenceTokens: rendered.evidence.size,
    passages: rendered.passages.size,
  });
}

const over = rows.filter((r) => Number(r.promptTokens) >= TARGET);
if (values.json) {
  console.log(
    JSON.stringify({ prompt: `${prompt.id}@${prompt.version}`, target: TARGET, rows, over: over.length }),
  );
} else {
  console.log(`prompt ${prompt.id}@${prompt.version}, o200k_base tokens, target < ${TARGET}`);
  console.table(rows);
  console.log(
    over.length ? `${over.length} patient(s) at or over the target` : 'every patient under the target',
  );
}
process.exitCode = over.length ? 1 : 0;
