// Reads @main's argument types straight from MLIR text, for callers that hold a program file but not parsed IR
// (fixtures, the bench). Handles the custom form `func.func @main(%a: memref<4x8xf32>, ...)` with static shapes and
// scalar elements; anything else returns undefined, and the caller should use the IR parser instead.
import type { MemRefType, Type } from '../../ir/types.ts';
import { bf16, f16, f32, f64, i, index, memref } from '../../ir/types.ts';

function scalar(s: string): Type | undefined {
  if (s === 'index') return index;
  if (s === 'f16') return f16;
  if (s === 'bf16') return bf16;
  if (s === 'f32') return f32;
  if (s === 'f64') return f64;
  const m = /^i(\d+)$/.exec(s);
  return m ? i(Number(m[1])) : undefined;
}

export function entryArgTypes(text: string): MemRefType[] | undefined {
  const m = /func\.func\s+@main\s*\(([^)]*)\)/.exec(text);
  if (!m) return undefined;
  if (m[1]!.trim() === '') return [];
  const out: MemRefType[] = [];
  for (const arg of m[1]!.split(/,(?![^<]*>)/)) {
    const t = /^\s*%[\w$.-]+\s*:\s*memref<((?:\d+x)*)([a-z0-9]+)>\s*$/.exec(arg);
    if (!t) return undefined;
    const elem = scalar(t[2]!);
    if (!elem) return undefined;
    const shape = t[1] ? t[1].split('x').filter(Boolean).map(Number) : [];
    out.push(memref(shape, elem));
  }
  return out;
}
