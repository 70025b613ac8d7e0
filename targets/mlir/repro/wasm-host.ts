// The V8 side of a wasm finding's wrong-run reproducer: run.mjs and, under host/, tcfuzz's own wasm host (the
// runner and its imports, targets/mlir/wasm/) as the plain JavaScript runner-build.ts transpiles, so the run uses
// the very host the finding ran in and needs nothing but node.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRunner } from '../wasm/runner-build.ts';

const RUN_SCRIPT = fileURLToPath(new URL('./run.mjs', import.meta.url));

/** run.mjs and host/…, by path inside the reproducer; or why the host cannot be written here. */
export function wasmHostFiles(): Map<string, string> | { readonly reason: string } {
  let built: ReturnType<typeof buildRunner>;
  try {
    built = buildRunner();
  } catch (e) {
    return { reason: `its V8 host is tcfuzz's wasm runner transpiled to JavaScript, which needs TypeScript installed (npm install --include=dev): ${(e as Error).message.split('\n')[0]}` };
  }
  const files = new Map([
    ['run.mjs', readFileSync(RUN_SCRIPT, 'utf8')],
    ['host/package.json', '{ "type": "module" }\n'],
  ]);
  for (const f of built.files) files.set(`host/${f}`, readFileSync(join(built.dir, f), 'utf8'));
  return files;
}
