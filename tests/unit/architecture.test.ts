// The shape house-style.md asks of the source, held as a test so that it stays: no import cycle between
// folders, files of at most ~300 lines (code tables excepted, by name), functions of at most 80 lines.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  folderCycles,
  lineCount,
  longFunctions,
  MAX_FILE_LINES,
  MAX_FUNCTION_LINES,
  sourceFiles,
} from '../../scripts/architecture.ts';

/** Data, not logic: code tables whose length is the number of codes they hold. */
const CODE_TABLES = new Set(['src/clinical/codes.ts']);

describe('architecture', () => {
  const files = sourceFiles();

  it('finds the source it measures', () => {
    assert.ok(files.length > 150, `only ${files.length} files found`);
    assert.ok(files.includes('src/server/app.ts'));
  });

  it('has no import cycle between folders', () => {
    assert.deepEqual(folderCycles(files), []);
  });

  it(`keeps files to ${MAX_FILE_LINES} lines, code tables excepted`, () => {
    const long = files.filter((f) => !CODE_TABLES.has(f) && lineCount(f) > MAX_FILE_LINES);
    assert.deepEqual(
      long.map((f) => `${f} (${lineCount(f)})`),
      [],
    );
  });

  it(`keeps functions to ${MAX_FUNCTION_LINES} lines`, () => {
    assert.deepEqual(
      longFunctions(files).map((f) => `${f.file}:${f.line} ${f.name} (${f.lines})`),
      [],
    );
  });

  it('names only paths that exist in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    const paths = [
      ...readme.matchAll(
        /(?<![\w/.-])((?:src|smart-app|cds-hooks|tests|scripts|bin|eval|reports|guidelines|knowledge|prompts|demo)\/[\w./{}<>*-]*[\w/])/g,
      ),
    ].map((m) => (m[1] ?? '').replace(/\/$/, ''));
    assert.ok(paths.length > 30, `only ${paths.length} paths found`);
    assert.deepEqual([...new Set(paths.filter((p) => !/[{<*]/.test(p) && !existsSync(p)))], []);
  });

  it('catches a cycle between two folders and a long function', () => {
    const root = mkdtempSync(join(tmpdir(), 'citecare-arch-'));
    mkdirSync(join(root, 'src/a'), { recursive: true });
    mkdirSync(join(root, 'src/b'), { recursive: true });
    writeFileSync(join(root, 'src/a/x.ts'), "import { y } from '../b/y.ts';\nexport const x = y;\n");
    writeFileSync(join(root, 'src/b/y.ts'), "export { x as z } from '../a/x.ts';\nexport const y = 1;\n");
    assert.deepEqual(folderCycles(['src/a/x.ts', 'src/b/y.ts'], root), [['src/a', 'src/b']]);
    assert.ok(longFunctions(['scripts/architecture.ts'], 10).length > 0);
  });
});
