// Loads fixture programs written in MLIR's custom syntax: mlir-opt normalises them to the generic form (one
// process for the whole set, with --split-input-file), then ir/parser reads them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Operation } from '../../ir/core.ts';
import { fillBuffer } from '../../ir/inputs.ts';
import { parseModule } from '../../ir/parser/index.ts';
import type { MemRefType } from '../../ir/types.ts';
import { genericForms } from '../helpers/toolchain.ts';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'interpreter');

export { genericForms };

export type Fixture = { name: string; text: string; module: Operation };

export function loadFixtures(dir: string): Fixture[] {
  const names = readdirSync(join(FIXTURES, dir))
    .filter((f) => f.endsWith('.mlir'))
    .sort();
  const texts = names.map((n) => readFileSync(join(FIXTURES, dir, n), 'utf8'));
  const generic = genericForms(texts);
  return names.map((name, k) => ({ name, text: texts[k]!, module: parseModule(generic[k]!, join(dir, name), { allowUnregistered: true }) }));
}

/** @main's argument types. */
export function mainArgs(module: Operation): MemRefType[] {
  for (const op of module.walk()) {
    const sym = op.props['sym_name'];
    const ft = op.props['function_type'];
    if (op.name === 'func.func' && sym?.kind === 'string' && sym.value === 'main' && ft?.kind === 'type' && ft.type.kind === 'function')
      return ft.type.inputs.map((t) => {
        if (t.kind !== 'memref') throw new Error('@main takes a non-memref argument');
        return t;
      });
  }
  throw new Error('no @main');
}

/** The ABI inputs of @main for an input seed. */
export function mainInputs(module: Operation, seed = 1): Uint8Array[] {
  return mainArgs(module).map((t, k) => fillBuffer(t, seed, k));
}
