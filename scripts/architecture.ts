// Measures the shape house-style.md asks of the source: file length, function length, and import cycles
// between folders. `npx tsx scripts/architecture.ts` prints every finding; tests/unit/architecture.test.ts
// holds the limits.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOTS = ['src', 'smart-app', 'cds-hooks'];
export const MAX_FILE_LINES = 300;
export const MAX_FUNCTION_LINES = 80;

export interface LongFunction {
  file: string;
  name: string;
  line: number;
  lines: number;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return walk(p);
    return /\.(ts|js|mjs)$/.test(name) ? [p] : [];
  });
}

export function sourceFiles(root = process.cwd()): string[] {
  return ROOTS.flatMap((r) => walk(join(root, r)))
    .map((f) => relative(root, f))
    .sort();
}

export function lineCount(file: string): number {
  const text = readFileSync(file, 'utf8');
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function nameOf(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isCallExpression(parent)) return `callback of ${parent.expression.getText().slice(0, 40)}`;
  return '(anonymous)';
}

export function longFunctions(files: string[], limit = MAX_FUNCTION_LINES): LongFunction[] {
  const found: LongFunction[] = [];
  for (const file of files) {
    const sf = parse(file);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && (node as { body?: ts.Node }).body) {
        const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
        const lines = end - start + 1;
        if (lines > limit) found.push({ file, name: nameOf(node), line: start + 1, lines });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

/** Relative imports (static, dynamic and re-exports) of a file, resolved to repository paths. */
export function importsOf(file: string, root = process.cwd()): string[] {
  const sf = parse(join(root, file));
  const out: string[] = [];
  const add = (spec: string): void => {
    if (spec.startsWith('.')) out.push(relative(root, resolve(dirname(join(root, file)), spec)));
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The folder a file belongs to for the cycle check: its own directory. */
export function folderOf(file: string): string {
  return dirname(file);
}

/** Groups of folders that import each other in a cycle (Tarjan's strongly connected components). */
export function folderCycles(files: string[], root = process.cwd()): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const file of files) {
    const from = folderOf(file);
    for (const target of importsOf(file, root)) {
      const to = folderOf(target);
      if (to === from || !ROOTS.some((r) => to === r || to.startsWith(`${r}/`))) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)?.add(to);
    }
  }
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const group: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) strong(v);
  return groups;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const files = sourceFiles();
  const long = files.map((f) => ({ f, n: lineCount(f) })).filter((x) => x.n > MAX_FILE_LINES);
  console.log(`files over ${MAX_FILE_LINES} lines: ${long.length}`);
  for (const x of long) console.log(`  ${x.f} ${x.n}`);
  const fns = longFunctions(files);
  console.log(`functions over ${MAX_FUNCTION_LINES} lines: ${fns.length}`);
  for (const x of fns) console.log(`  ${x.file}:${x.line} ${x.name} ${x.lines}`);
  const cycles = folderCycles(files);
  console.log(`folder import cycles: ${cycles.length}`);
  for (const c of cycles) console.log(`  ${c.join(' <-> ')}`);
}
