// The folder rules of DESIGN §2, checked on the real import graph: every relative import of every .ts file
// (`import`, `import type`, `export ... from`, dynamic `import()`), read by TypeScript's own pre-processor so that
// comments and strings never count. The table below is the one copy; the root README mirrors it (checked here too).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { REPO_ROOT as ROOT, repoFiles, repoPath } from './helpers/repo-files.ts';

/** Top-level folder → the other top-level folders its files may import ('*': any). Its own folder is always allowed. */
export const ARCHITECTURE: Readonly<Record<string, readonly string[] | '*'>> = {
  contracts: [],
  numeric: [],
  native: [],
  ir: ['numeric'],
  exec: ['contracts', 'native'],
  reference: ['contracts', 'ir', 'numeric'],
  // and a compiler's folder targets/<name>/ imports no other compiler's folder, nor the registry
  targets: ['contracts', 'ir', 'numeric', 'exec', 'native'],
  mutators: ['contracts', 'ir', 'numeric'],
  oracles: ['contracts', 'ir', 'numeric'],
  check: ['contracts', 'ir'],
  coverage: ['contracts', 'ir'],
  seeds: ['contracts', 'ir'],
  // the engines DESIGN §2 plans, under its rule
  fuzz: ['contracts', 'coverage', 'mutators', 'ir'],
  corpus: ['contracts', 'coverage', 'mutators', 'ir'],
  triage: ['contracts', 'coverage', 'mutators', 'ir'],
  reports: ['contracts', 'coverage', 'mutators', 'ir'],
  cli: '*',
  scripts: '*',
  test: '*',
};

/** Single files with a wider rule than their folder's. */
export const FILE_RULES: Readonly<Record<string, readonly string[]>> = {
  // The registry names what the command line may choose: the targets, and the reference as one more backend.
  'targets/registry.ts': ['reference'],
};

/**
 * Imports that break the table today, each reported to its folder's owner. The test fails on any other violation,
 * and on an entry here that no longer happens (delete it then).
 */
const KNOWN_VIOLATIONS: readonly string[] = [];

/** contracts/ holds types only; these are the runtime declarations it may have. */
const CONTRACTS_RUNTIME = new Set(['contracts/pipeline.ts: class PipelineError']);

const tsFiles = (dir = ROOT): string[] => repoFiles((name) => name.endsWith('.ts'), dir);

type Edge = { readonly from: string; readonly to: string; readonly line: number };

/** Every relative import of every file, as repo-relative paths. */
function importGraph(): Edge[] {
  const edges: Edge[] = [];
  for (const file of tsFiles()) {
    const text = readFileSync(file, 'utf8');
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      if (!ref.fileName.startsWith('.')) continue; // node: built-ins and packages
      const line = text.slice(0, ref.pos).split('\n').length;
      edges.push({ from: repoPath(file), to: repoPath(resolve(dirname(file), ref.fileName)), line });
    }
  }
  return edges;
}

/** Why the edge breaks the table, or undefined. */
function violation(e: Edge): string | undefined {
  const [fromTop, fromSub] = e.from.split('/');
  const [toTop, toSub] = e.to.split('/');
  if (!e.from.includes('/')) return `${e.from} is not in a folder of the table`;
  const rule = ARCHITECTURE[fromTop!];
  if (rule === undefined) return `${fromTop}/ has no row in ARCHITECTURE (test/architecture.test.ts)`;
  if (fromTop === toTop) {
    // targets/<name>/... is a compiler's folder when <name> is a folder, not a file such as registry.ts
    const fromCompiler = fromTop === 'targets' && e.from.split('/').length > 2;
    const toCompiler = toTop === 'targets' && e.to.split('/').length > 2;
    if (fromCompiler && (!toCompiler || fromSub !== toSub)) return `targets/${fromSub}/ imports only its own folder within targets/`;
    return undefined;
  }
  if (rule === '*' || rule.includes(toTop!) || FILE_RULES[e.from]?.includes(toTop!)) return undefined;
  return `${fromTop}/ may import ${rule.length ? rule.map((r) => `${r}/`).join(', ') : 'nothing of ours'}`;
}

test('every import follows the folder rules', () => {
  const edges = importGraph();
  assert.ok(edges.length > 100, `only ${edges.length} imports found: is the scan broken?`);
  const found = new Map<string, string>();
  for (const e of edges) {
    const why = violation(e);
    if (why) found.set(`${e.from} → ${e.to}`, `${e.from}:${e.line} → ${e.to} (${why})`);
  }
  const unexpected = [...found].filter(([k]) => !KNOWN_VIOLATIONS.includes(k)).map(([, v]) => v);
  assert.deepEqual(unexpected, [], `imports that break the rules in test/architecture.test.ts:\n  ${unexpected.join('\n  ')}`);
  const fixed = KNOWN_VIOLATIONS.filter((k) => !found.has(k));
  assert.deepEqual(fixed, [], `no longer violations: delete them from KNOWN_VIOLATIONS:\n  ${fixed.join('\n  ')}`);
});

test('the rules catch what they should', () => {
  const bad = (from: string, to: string): boolean => violation({ from, to, line: 1 }) !== undefined;
  assert.ok(bad('contracts/case.ts', 'ir/types.ts'));
  assert.ok(bad('check/check-cases.ts', 'targets/registry.ts'));
  assert.ok(bad('oracles/miscompile.ts', 'reference/index.ts'));
  assert.ok(bad('targets/mlir/target.ts', 'targets/tvm/target.ts'));
  assert.ok(bad('targets/mlir/target.ts', 'targets/registry.ts'));
  assert.ok(bad('newfolder/x.ts', 'ir/types.ts'));
  assert.ok(!bad('targets/registry.ts', 'targets/mlir/target.ts'));
  assert.ok(!bad('targets/mlir/wasm/executor.ts', 'targets/mlir/abi.ts'));
  assert.ok(!bad('cli/main.ts', 'targets/registry.ts'));
  assert.ok(!bad('ir/parser/index.ts', 'ir/core.ts'));
});

test('contracts/ declares types only, plus its allowed runtime declarations', () => {
  const runtime: string[] = [];
  for (const file of tsFiles(join(ROOT, 'contracts'))) {
    const name = repoPath(file);
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    for (const s of sf.statements) {
      const declared = ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
      if (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || declared) continue;
      if (ts.isImportDeclaration(s) && s.importClause?.isTypeOnly) continue;
      if (ts.isExportDeclaration(s) && s.isTypeOnly) continue;
      if (ts.isClassDeclaration(s) && CONTRACTS_RUNTIME.has(`${name}: class ${s.name?.text}`)) continue;
      const { line } = sf.getLineAndCharacterOfPosition(s.getStart(sf));
      runtime.push(`${name}:${line + 1}: ${s.getText(sf).split('\n')[0]}`);
    }
  }
  assert.deepEqual(runtime, [], `runtime code in contracts/ (types only; allowed: ${[...CONTRACTS_RUNTIME].join(', ')})`);
});

test('the root README mirrors the table', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /^## What may import what\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme);
  assert.ok(section, 'README.md has no "## What may import what" section');
  const rows: Record<string, readonly string[] | '*'> = {};
  for (const m of section[1]!.matchAll(/^\| `([\w-]+)\/` \| ([^|]*) \|/gm)) {
    const allowed = m[2]!.trim();
    rows[m[1]!] = allowed === 'anything' ? '*' : allowed === 'nothing' ? [] : [...allowed.matchAll(/`([\w-]+)\/`/g)].map((a) => a[1]!);
  }
  const norm = (t: Readonly<Record<string, readonly string[] | '*'>>): Record<string, string> =>
    Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v === '*' ? '*' : [...v].sort().join(',')]));
  assert.deepEqual(norm(rows), norm(ARCHITECTURE), 'README.md "What may import what" differs from ARCHITECTURE');
});
