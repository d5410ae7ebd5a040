import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { testConfig } from '../../src/config.ts';
import { BUNDLED_GUIDELINES_DIR, loadCorpus } from '../../src/guidelines/adapters/corpus-files.ts';
import {
  createGuidelineIndexWithCorpus,
  guidelineIndexOptions,
} from '../../src/guidelines/adapters/create-guideline-index.ts';
import { GuidelineFormatError } from '../../src/guidelines/front-matter.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'citecare-guidelines-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const META = {
  title: 'Local sepsis protocol',
  issuer: 'Example Hospital',
  year: '2025',
  url: 'https://example.org/sepsis',
  reviewed: '2026-11-26',
  topics: '[sepsis]',
  codes: '["http://snomed.info/sct|91302008"]',
};

function markdown(id: string, meta: Partial<Record<string, string>> = {}, body?: string): string {
  const fields = { id, ...META, ...meta };
  const yaml = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return `---\n${yaml}\n---\n\n${body ?? '## Escalation\nCall the outreach team within 30 minutes.\n\n## Lactate\nRepeat lactate at 2 hours.\n'}`;
}

function writeDoc(dir: string, file: string, text: string): void {
  writeFileSync(join(dir, file), text);
}

async function loadError(text: string, file = 'local-sepsis.md'): Promise<GuidelineFormatError> {
  const dir = tempDir();
  writeDoc(dir, file, text);
  try {
    await loadCorpus([dir]);
  } catch (err) {
    assert.ok(err instanceof GuidelineFormatError, String(err));
    return err;
  }
  assert.fail('expected the corpus to be rejected');
}

describe('guideline front matter validation', () => {
  const cases: Array<[string, Partial<Record<string, string>>, string]> = [
    ['year', { year: 'twenty' }, 'number'],
    ['year', { year: undefined }, ''],
    ['url', { url: 'http://example.org/x' }, 'https'],
    ['reviewed', { reviewed: '26/11/2026' }, 'ISO date'],
    ['topics', { topics: '[sepsis, not-a-topic]' }, 'unknown topic "not-a-topic"'],
    ['codes', { codes: '["urn:local|123"]' }, 'system|code'],
    ['issuer', { issuer: '""' }, 'empty'],
    ['id', { id: 'Local_Sepsis' }, 'kebab-case'],
    ['author', { author: 'someone' }, 'not a known field'],
  ];
  for (const [field, meta, problem] of cases) {
    it(`names the file and the field "${field}"`, async () => {
      const err = await loadError(markdown('local-sepsis', meta));
      assert.equal(err.field, field);
      assert.match(err.message, /local-sepsis\.md/);
      assert.ok(err.message.includes(`"${field}"`), err.message);
      assert.ok(err.message.includes(problem), err.message);
    });
  }

  it('requires the id to equal the file name', async () => {
    const err = await loadError(markdown('other-name'));
    assert.equal(err.field, 'id');
    assert.match(err.message, /local-sepsis\.md.*must equal the file name "local-sepsis"/);
  });

  it('rejects files without front matter, sections, or with empty sections', async () => {
    assert.match((await loadError('## A\ntext\n')).message, /missing YAML front matter/);
    assert.match(
      (await loadError(markdown('local-sepsis', {}, 'Just a paragraph.\n'))).message,
      /before its first/,
    );
    assert.match(
      (await loadError(markdown('local-sepsis', {}, '## Empty\n\n## Full\nText.\n'))).message,
      /"Empty" is empty/,
    );
    assert.match(
      (await loadError(markdown('local-sepsis', {}, '## Dose\nA.\n## Dose\nB.\n'))).message,
      /appears twice/,
    );
  });
});

describe('guideline passages', () => {
  it('turns each section into a passage with a stable chunk id and a content hash', async () => {
    const dir = tempDir();
    writeDoc(dir, 'local-sepsis.md', markdown('local-sepsis'));
    const a = await loadCorpus([dir]);
    const b = await loadCorpus([dir]);
    assert.deepEqual(
      a.passages.map((p) => p.chunkId),
      ['local-sepsis#escalation', 'local-sepsis#lactate'],
    );
    assert.equal(a.passages[0]!.text, 'Call the outreach team within 30 minutes.');
    assert.match(a.passages[0]!.contentHash, /^[0-9a-f]{64}$/);
    assert.deepEqual(a.passages, b.passages);
    assert.equal(a.corpusVersion, b.corpusVersion);
  });

  it('changes only the edited section: its hash, and the corpus version', async () => {
    const dir = tempDir();
    writeDoc(dir, 'local-sepsis.md', markdown('local-sepsis'));
    const before = await loadCorpus([dir]);
    writeDoc(
      dir,
      'local-sepsis.md',
      markdown(
        'local-sepsis',
        {},
        '## Escalation\nCall the outreach team within 30 minutes.\n\n## Lactate\nRepeat lactate at 1 hour.\n',
      ),
    );
    const after = await loadCorpus([dir]);
    assert.deepEqual(
      after.passages.map((p) => p.chunkId),
      before.passages.map((p) => p.chunkId),
    );
    assert.equal(after.passages[0]!.contentHash, before.passages[0]!.contentHash);
    assert.notEqual(after.passages[1]!.contentHash, before.passages[1]!.contentHash);
    assert.notEqual(after.corpusVersion, before.corpusVersion);

    writeDoc(
      dir,
      'local-sepsis.md',
      markdown(
        'local-sepsis',
        {},
        '## Escalation\nCall the outreach team within 30 minutes.\n\n## Lactate repeat\nRepeat lactate at 1 hour.\n',
      ),
    );
    const renamed = await loadCorpus([dir]);
    assert.deepEqual(
      renamed.passages.map((p) => p.chunkId),
      ['local-sepsis#escalation', 'local-sepsis#lactate-repeat'],
    );
  });

  it('keeps the bundled chunk ids identical across reloads', async () => {
    const a = await loadCorpus([BUNDLED_GUIDELINES_DIR]);
    const b = await loadCorpus([BUNDLED_GUIDELINES_DIR]);
    assert.deepEqual(
      a.passages.map((p) => [p.chunkId, p.contentHash]),
      b.passages.map((p) => [p.chunkId, p.contentHash]),
    );
    assert.equal(a.corpusVersion, b.corpusVersion);
    assert.equal(new Set(a.passages.map((p) => p.chunkId)).size, a.passages.length);
  });
});

describe('institutional guideline folder', () => {
  it('merges documents dropped into GUIDELINES_EXTRA_DIR into retrieval', async () => {
    const extra = tempDir();
    writeDoc(
      extra,
      'example-hospital-sepsis-pathway.md',
      markdown(
        'example-hospital-sepsis-pathway',
        { title: 'Example Hospital sepsis pathway' },
        '## Outreach team\nPage the critical care outreach team on extension 4455 for every sepsis alert.\n',
      ),
    );
    const config = testConfig({ GUIDELINES_EXTRA_DIR: extra });
    const { index, corpus } = await createGuidelineIndexWithCorpus(
      guidelineIndexOptions(config, { cache: 'off' }),
    );
    const bundled = await loadCorpus([BUNDLED_GUIDELINES_DIR]);
    assert.equal(corpus.documents.length, bundled.documents.length + 1);
    assert.notEqual(corpus.corpusVersion, bundled.corpusVersion);
    const hits = await index.search({ text: 'sepsis outreach team extension', k: 3 });
    assert.equal(hits[0]?.chunkId, 'example-hospital-sepsis-pathway#outreach-team');
    assert.equal(hits[0]?.issuer, 'Example Hospital');
  });

  it('rejects an institutional document reusing a bundled id, naming both files', async () => {
    const extra = tempDir();
    writeDoc(extra, 'sepsis-lactate.md', markdown('sepsis-lactate'));
    await assert.rejects(loadCorpus([BUNDLED_GUIDELINES_DIR, extra]), (err: unknown) => {
      assert.ok(err instanceof GuidelineFormatError);
      assert.equal(err.field, 'id');
      assert.match(
        err.message,
        /sepsis-lactate\.md.*"sepsis-lactate" is already used by .*guidelines\/sepsis-lactate\.md/,
      );
      return true;
    });
  });

  it('reports loading progress file by file', async () => {
    const dir = tempDir();
    writeDoc(dir, 'a-doc.md', markdown('a-doc'));
    writeDoc(dir, 'b-doc.md', markdown('b-doc'));
    writeDoc(dir, 'README.md', '# not a guideline\n');
    const seen: string[] = [];
    await loadCorpus([dir], { onProgress: (p) => seen.push(`${p.loaded}/${p.total}`) });
    assert.deepEqual(seen, ['1/2', '2/2']);
  });
});
