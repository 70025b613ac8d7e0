// The generic-form MLIR parser: `parseModule` is the entry point; `parseAttrText`/`parseTypeText` read one
// attribute or type (handy for tests and option values). The rest of this folder serves them.
import '../ops/index.ts';
import type { Attr } from '../attributes.ts';
import type { Operation } from '../core.ts';
import type { Type } from '../types.ts';
import { Tok } from './lexer.ts';
import { parseAttr } from './parse-attr.ts';
import { parseModuleWith } from './parse-module.ts';
import type { ParseOptions } from './parse-module.ts';
import { parseType } from './parse-type.ts';
import { ParseState } from './state.ts';

export type { ParseOptions } from './parse-module.ts';

/**
 * Parses MLIR in generic op form (what `mlir-opt --mlir-print-op-generic` and ir/printer.ts print) into a
 * `builtin.module`; top-level ops without an explicit module are wrapped in one. Throws IrError with the
 * file:line:col of the offending token.
 */
export function parseModule(text: string, file = '<input>', opts: ParseOptions = {}): Operation {
  return parseModuleWith(text, file, opts);
}

/** One attribute, e.g. `affine_map<(d0) -> (d0 + 1)>` or `dense<1.0> : vector<4xf32>`; nothing may follow it. */
export function parseAttrText(text: string, file = '<attr>'): Attr {
  return parseWhole(text, file, parseAttr, 'attribute');
}

/** One type, e.g. `memref<4x?xf32, strided<[?, 1]>>`; nothing may follow it. */
export function parseTypeText(text: string, file = '<type>'): Type {
  return parseWhole(text, file, parseType, 'type');
}

function parseWhole<T>(text: string, file: string, parse: (p: ParseState) => T, what: string): T {
  const p = new ParseState(text, file);
  try {
    const v = parse(p);
    if (!p.lex.is(Tok.EOF)) p.failExpected('end of input', `after the ${what}`);
    return v;
  } catch (e) {
    if (e instanceof RangeError && /call stack/.test(e.message)) p.fail('nesting too deep');
    throw e;
  }
}
