// READMEs name files and folders in backticks; every such name must exist, relative to the README's folder or to
// the repo root, so that a rename shows up here instead of in a reader's dead end.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT as ROOT, repoEntries, repoFiles, repoPath } from './helpers/repo-files.ts';

/** Endings that make a token without a `/` a file name (op names such as `memref.copy` end otherwise). */
const EXTENSIONS = /\.(ts|js|mjs|cjs|json|md|mlir|ll|c|h|cc|cpp|sh|so|wat|wasm|py|txt|ya?ml|toml|sql)$/;
/** Folders DESIGN §2 plans and READMEs already name (engines written against contracts/). */
const PLANNED = new Set(['targets/tvm/', 'targets/ort/']);

/**
 * Paths broken today in READMEs this test's author may not edit, reported to their owners. The test fails on any
 * other broken path, and on an entry here that is fixed (delete it then).
 */
const KNOWN_BROKEN: readonly string[] = [
  'ir/ops/README.md: `./ops/index.ts`', // a path from ir/, not from ir/ops/
];

/** Simple .gitignore entries (`.tcfuzz`): outputs a README may name before they exist. */
function ignoredPrefixes(): string[] {
  const lines = existsSync(join(ROOT, '.gitignore')) ? readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n') : [];
  return lines.map((l) => l.trim().replace(/^\/|\/$/g, '')).filter((l) => l && !l.startsWith('#') && !/[*?[!]/.test(l));
}

/** The words of inline code spans that look like repo paths; fenced blocks (commands, examples) are skipped. */
export function pathTokens(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const out: string[] = [];
  for (const span of prose.matchAll(/`([^`]+)`/g)) {
    for (const raw of span[1]!.split(/\s+/)) {
      const word = raw
        .replace(/^[("']+|[)"',;.]+$/g, '')
        .replace(/:\d+(:\d+)?$/, '') // file.ts:12:3
        .replace(/#[\w-]*$/, '');
      if (!word || /^(-|\/|@|%|\^|!|~|\$)/.test(word) || /:\/\/|[*?<>{}()[\]=:,|\\$]/.test(word)) continue; // flags, absolute paths, symbols, URLs, globs, syntax
      if (!/^[\w.@+-]+(\/[\w.@+-]+)*\/?$/.test(word)) continue;
      if (word.includes('/') || EXTENSIONS.test(word)) out.push(word);
    }
  }
  return out;
}

/**
 * Undefined when `token`, named in a README in folder `dir`, exists or is plainly not a repo path; else why. A bare
 * name (`engine.test.ts`, `bugs/`) may also stand anywhere below `dir` or in a folder the README names (`near`).
 */
function missing(token: string, dir: string, ignored: readonly string[], near: readonly string[] = []): string | undefined {
  if (PLANNED.has(token)) return undefined;
  const candidates = [resolve(dir, token), resolve(ROOT, token)];
  if (candidates.some((c) => existsSync(c))) return undefined;
  const inRepo = candidates.filter((c) => !relative(ROOT, c).startsWith('..'));
  if (inRepo.length === 0) return undefined; // outside the repo (../shared/DESIGN.md): not ours to check
  const underIgnored = (p: string): boolean => ignored.some((i) => p === i || p.startsWith(i + '/'));
  if (inRepo.some((c) => underIgnored(repoPath(c)))) return undefined;
  const bare = token.replace(/\/$/, '');
  if (!bare.includes('/')) {
    // the root README names paths from the root: a name somewhere in the repo is no excuse there
    if ((dir !== ROOT && repoEntries(dir).some((e) => e.name === bare)) || near.some((d) => existsSync(join(d, bare)))) return undefined;
    return 'no such file here, below, or in a folder this README names';
  }
  // `a/b` with no file ending, no trailing slash and no existing first folder is prose (`i32/i64`), not a path.
  const first = token.split('/')[0]!;
  const folderish = token.endsWith('/') || EXTENSIONS.test(token) || first === '.' || first === '..';
  if (!folderish && !existsSync(resolve(dir, first)) && !existsSync(resolve(ROOT, first))) return undefined;
  return 'no such file or folder';
}

/** `README: \`token\`` → why, for each path the README names that does not exist. */
function brokenPaths(readme: string, ignored: readonly string[]): Map<string, string> {
  const name = repoPath(readme);
  const problems = new Map<string, string>();
  const tokens = pathTokens(readFileSync(readme, 'utf8'));
  const near = tokens
    .filter((t) => t.endsWith('/'))
    .flatMap((t) => [resolve(dirname(readme), t), resolve(ROOT, t)])
    .filter((d) => existsSync(d));
  for (const token of tokens) {
    const why = missing(token, dirname(readme), ignored, near);
    if (why) problems.set(`${name}: \`${token}\``, why);
  }
  return problems;
}

test('the path rule tells paths from other code', () => {
  assert.deepEqual(
    pathTokens('see `ir/core.ts`, `dir/`, `x.mlir:3:1`, `--flag`, `*.mlir`, `https://a.b/c.md`, `@main`, `memref<4xf32>`\n' +
      '`node --import tsx test/a.test.ts` and `memref.copy`, `i32/i64`\n```sh\ncat no/such.ts\n```\n'),
    ['ir/core.ts', 'dir/', 'x.mlir', 'test/a.test.ts', 'i32/i64'],
  );
  const dir = join(ROOT, 'test');
  assert.equal(missing('ir/core.ts', dir, []), undefined);
  assert.equal(missing('architecture.test.ts', dir, []), undefined);
  assert.equal(missing('i32/i64', dir, []), undefined);
  assert.ok(missing('ir/no-such-file.ts', dir, []));
  assert.ok(missing('ir/no-such-folder/', dir, []));
  assert.ok(missing('no-such-file.mlir', dir, []));
  assert.equal(missing('fuzz/', dir, []), undefined);
  assert.equal(missing('bugs/', join(ROOT, 'fixtures'), []), undefined); // fixtures/backends/bugs/
  assert.ok(missing('bugs/', ROOT, [])); // the root README names paths from the root
  assert.equal(missing('catalog.test.ts', ROOT, [], [join(ROOT, 'test', 'targets', 'mlir')]), undefined);
  assert.ok(missing('catalog.test.ts', join(ROOT, 'ir'), []));
  assert.equal(missing('.tcfuzz/demo/', ROOT, ['.tcfuzz']), undefined);
  assert.ok(missing('outcome.md', ROOT, ['out']));
});

test('every path a README names exists', () => {
  const files = repoFiles((n) => n === 'README.md');
  assert.ok(files.length >= 5, `found only ${files.length} READMEs`);
  const ignored = ignoredPrefixes();
  const problems = new Map(files.flatMap((f) => [...brokenPaths(f, ignored)]));
  const unexpected = [...problems].filter(([k]) => !KNOWN_BROKEN.includes(k)).map(([k, why]) => `${k} (${why})`);
  assert.deepEqual(unexpected, [], `READMEs name paths that do not exist:\n  ${unexpected.join('\n  ')}`);
  const fixed = KNOWN_BROKEN.filter((k) => !problems.has(k));
  assert.deepEqual(fixed, [], `fixed: delete them from KNOWN_BROKEN in test/readmes.test.ts:\n  ${fixed.join('\n  ')}`);
});
