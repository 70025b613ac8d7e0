// The runner child starts once per backend and again after every program it had to kill for hanging. Under tsx a
// node start costs ~0.4 s of CPU more than plain node (measured), so the runner's few modules are transpiled to
// plain JavaScript under build/ with the TypeScript compiler when it is installed, and rebuilt when a source is
// newer. Without TypeScript (a production install) the runner still starts, through tsx. `tcfuzz repro` copies the
// same files into a wasm finding's reproducer, whose run.mjs needs nothing but node.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const outDir = join(root, 'build', 'wasm-runner');
const entry = join(root, 'targets', 'mlir', 'wasm', 'runner.ts');

/** The runner's own source files: runner.ts and every relative module it imports for values (not types). */
function sources(): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^import (?!type )[^;]*?from '(\.{1,2}\/[^']+\.ts)';/gm)) visit(resolve(dirname(file), m[1]!));
  };
  visit(entry);
  return [...seen];
}

const outputOf = (src: string): string => join(outDir, relative(root, src).replace(/\.ts$/, '.js'));

/**
 * Builds the stale files of the runner's plain-JavaScript copy (synchronously: `tcfuzz repro` copies it into a
 * reproducer). Returns its folder and its files, relative to that folder; throws when a file is stale and the
 * TypeScript compiler is not installed.
 */
export function buildRunner(): { readonly dir: string; readonly files: readonly string[] } {
  const files = sources();
  const stale = files.filter((f) => !existsSync(outputOf(f)) || statSync(outputOf(f)).mtimeMs < statSync(f).mtimeMs);
  if (stale.length > 0) {
    const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');
    for (const f of stale) {
      const out = ts.transpileModule(readFileSync(f, 'utf8'), {
        fileName: f,
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          rewriteRelativeImportExtensions: true,
        },
      });
      const dest = outputOf(f);
      mkdirSync(dirname(dest), { recursive: true });
      // Several workers may build at once: write aside, then rename over atomically.
      writeFileSync(`${dest}.${process.pid}.tmp`, out.outputText);
      renameSync(`${dest}.${process.pid}.tmp`, dest);
    }
    writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  }
  return { dir: outDir, files: files.map((f) => relative(outDir, outputOf(f))) };
}

let cached: string | undefined;

/** Path of the runner as plain JavaScript, or undefined when it cannot be built here (then use tsx). */
export async function compiledRunner(): Promise<string | undefined> {
  if (cached && existsSync(cached)) return cached;
  try {
    buildRunner();
    return (cached = outputOf(entry));
  } catch {
    return undefined;
  }
}
