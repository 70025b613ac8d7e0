// The generic-form MLIR parser: `parseModule` is the one entry point; the rest of this folder serves it.
import '../ops/index.ts';
import type { Operation } from '../core.ts';
import { parseModuleWith } from './parse-module.ts';
import type { ParseOptions } from './parse-module.ts';

export type { ParseOptions } from './parse-module.ts';

/**
 * Parses MLIR in generic op form (what `mlir-opt --mlir-print-op-generic` and ir/printer.ts print) into a
 * `builtin.module`; top-level ops without an explicit module are wrapped in one. Throws IrError with the
 * file:line:col of the offending token.
 */
export function parseModule(text: string, file = '<input>', opts: ParseOptions = {}): Operation {
  return parseModuleWith(text, file, opts);
}
