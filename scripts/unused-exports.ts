// Lists exported names of src/, smart-app/ and cds-hooks/ that no other file uses (tests and
// scripts count as users). `npx tsx scripts/unused-exports.ts` prints `file: name` per line. A name
// used only in its own file needs no `export`; a name used nowhere is dead code. Browser scripts
// (plain .js served to the page) are left out: the page, not an import, uses them. Read each line
// before deleting: a name taken from a dynamic import (`const { serve } = await import(...)`) or
// called from bin/citecare.js is listed too, and an exported type may be the type of an export.
import { relative, resolve } from 'node:path';
import ts from 'typescript';
import { ROOTS } from './architecture.ts';

const root = process.cwd();
const parsed = ts.parseJsonConfigFileContent(
  ts.readConfigFile(resolve(root, 'tsconfig.json'), ts.sys.readFile).config,
  ts.sys,
  root,
);
const program = ts.createProgram(parsed.fileNames, parsed.options);
const checker = program.getTypeChecker();
const files = program
  .getSourceFiles()
  .filter((f) => !f.isDeclarationFile && !f.fileName.includes('node_modules'));
const inRoots = (f: ts.SourceFile) => ROOTS.some((r) => relative(root, f.fileName).startsWith(`${r}/`));

/** The symbol an identifier finally stands for, through imports and re-exports. */
function target(symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

// Every use of a symbol from a file other than the one declaring it.
const usedElsewhere = new Set<ts.Symbol>();
for (const file of files) {
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const symbol = checker.getSymbolAtLocation(node);
      if (symbol) {
        const t = target(symbol);
        if (t.declarations?.some((d) => d.getSourceFile() !== file)) usedElsewhere.add(t);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
}

const unused: string[] = [];
for (const file of files.filter(inRoots)) {
  const moduleSymbol = checker.getSymbolAtLocation(file);
  if (!moduleSymbol) continue;
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const t = target(exported);
    // Re-exports of another file's names count against this file only if nothing uses the name.
    if (!usedElsewhere.has(t) && !usedElsewhere.has(exported) && exported.name !== 'default') {
      unused.push(`${relative(root, file.fileName)}: ${exported.name}`);
    }
  }
}
process.stdout.write(unused.length ? `${unused.sort().join('\n')}\n` : 'no unused exports\n');
