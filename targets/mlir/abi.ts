// How a compiled @main is called: the lowered memref descriptors, the harness wrapper (in LLVM dialect, appended
// after lowering so no pass ever sees it), and how output bytes are read back exactly.
import type { PortabilityLimits } from '../../contracts/target.ts';
import { bufferBytes } from '../../ir/entry-abi.ts';
import { elementBytes } from '../../ir/inputs.ts';
import type { MemRefType } from '../../ir/types.ts';
import { contiguousStrides } from '../../ir/types.ts';

export type IndexWidth = PortabilityLimits['indexBits'];

/** LLVM types of @main's lowered arguments: per memref (ptr, ptr, offset, sizes..., strides...). */
export function loweredEntryTypes(args: readonly MemRefType[], index: IndexWidth): string[] {
  const idx = `i${index}`;
  return args.flatMap((t) => ['!llvm.ptr', '!llvm.ptr', idx, ...t.shape.map(() => idx), ...t.shape.map(() => idx)]);
}

/**
 * Argument types of function `name` in mlir-opt's printed LLVM dialect and whether it returns a value; custom form
 * (`llvm.func @name(...)`) or generic (`"llvm.func"() <{... function_type = !llvm.func<void (ptr, i64)> ...}>`).
 */
export function loweredSignature(llvmText: string, name: string): { args: string[]; returnsValue: boolean } | undefined {
  const quoted = name.replace(/[.$]/g, '\\$&');
  const generic = new RegExp(`^\\s*"llvm\\.func"\\(\\) <\\{.*\\bsym_name = "${quoted}"[,}].*$`, 'm').exec(llvmText);
  if (generic) return genericSignature(generic[0]);
  const re = new RegExp(`^\\s*llvm\\.func (?:\\w+ )*@${quoted}\\((.*?)\\)( ->| attributes| \\{|$)`, 'm');
  const m = re.exec(llvmText);
  if (!m) return undefined;
  const returnsValue = m[2] === ' ->';
  if (m[1]!.trim() === '') return { args: [], returnsValue };
  return { args: splitTopLevel(m[1]!).map((a) => a.trim().replace(/^%[\w.$-]+: /, '').replace(/ \{.*\}$/, '')), returnsValue };
}

/**
 * The signature in a generic llvm.func line's `function_type = !llvm.func<RET (ARGS)>`. Inside that type LLVM types
 * drop their `!llvm.` prefix (`ptr`, `struct<...>`); they get it back so both forms compare alike.
 */
function genericSignature(line: string): { args: string[]; returnsValue: boolean } | undefined {
  const from = line.indexOf('function_type = !llvm.func<');
  if (from < 0) return undefined;
  // The type runs to its closing `>`; the parameter list is the first `(` outside the return type's brackets.
  let depth = 0;
  let at = -1;
  let end = -1;
  for (let i = from + 27; i < line.length && end < 0; i++) {
    const c = line[i]!;
    if (c === '(' && depth === 0 && at < 0) at = i;
    if (c === '<' || c === '(' || c === '[' || c === '{') depth++;
    else if (c === '>' && depth === 0) end = i;
    else if (c === '>' || c === ')' || c === ']' || c === '}') depth--;
  }
  if (at < 0 || end < 0) return undefined;
  const fnType = line.slice(from + 27, end);
  at -= from + 27;
  const prefixed = (t: string) => (/^(?:ptr|struct|array|void|vec|func)\b/.test(t) ? `!llvm.${t}` : t);
  const inner = fnType.slice(at + 1, -1).trim();
  return { args: inner === '' ? [] : splitTopLevel(inner).map((a) => prefixed(a.trim())), returnsValue: fnType.slice(0, at).trim() !== 'void' };
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '<' || ch === '(' || ch === '{' || ch === '[') depth++;
    else if (ch === '>' || ch === ')' || ch === '}' || ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

/** Helpers the wrapper calls; native/bufio.c implements them for mlir-runner, the WASM runner in JS. */
export function harnessDeclarations(index: IndexWidth): string {
  const i = `i${index}`;
  return [
    `llvm.func @__tcfuzz_begin(${i}) -> i32`,
    `llvm.func @__tcfuzz_arg(${i}) -> !llvm.ptr`,
    `llvm.func @__tcfuzz_out(!llvm.ptr, ${i})`,
    `llvm.func @__tcfuzz_end(${i})`,
  ]
    .map((l) => '  ' + l)
    .join('\n');
}

/**
 * The body that runs program `k`: ask the harness whether to run it, allocate and fill its buffers, call its entry,
 * hand every buffer back, and mark it done. Blocks are labelled per program so several bodies share one function.
 */
export function harnessBody(k: number, entry: string, args: readonly MemRefType[], index: IndexWidth): string {
  const i = `i${index}`;
  const L: string[] = [];
  const c = (name: string, v: number, ty = i): string => {
    L.push(`    %${name} = llvm.mlir.constant(${v} : ${ty}) : ${ty}`);
    return `%${name}`;
  };
  const kv = c(`k${k}`, k);
  L.push(`    %go${k} = llvm.call @__tcfuzz_begin(${kv}) : (${i}) -> i32`);
  const zero = c(`z${k}`, 0, 'i32');
  L.push(`    %run${k} = llvm.icmp "ne" %go${k}, ${zero} : i32`);
  L.push(`    llvm.cond_br %run${k}, ^run${k}, ^next${k}`);
  L.push(`  ^run${k}:`);
  const operands: string[] = [];
  const ptrs: { p: string; n: string }[] = [];
  args.forEach((t, a) => {
    const n = c(`n${k}_${a}`, bufferBytes(t, index));
    L.push(`    %p${k}_${a} = llvm.call @__tcfuzz_arg(${n}) : (${i}) -> !llvm.ptr`);
    const p = `%p${k}_${a}`;
    ptrs.push({ p, n });
    const off = c(`o${k}_${a}`, 0);
    const sizes = t.shape.map((d, j) => c(`s${k}_${a}_${j}`, d));
    const strides = contiguousStrides(t.shape).map((s, j) => c(`t${k}_${a}_${j}`, s));
    operands.push(p, p, off, ...sizes, ...strides);
  });
  const types = loweredEntryTypes(args, index);
  L.push(`    llvm.call @${entry}(${operands.join(', ')}) : (${types.join(', ')}) -> ()`);
  for (const { p, n } of ptrs) L.push(`    llvm.call @__tcfuzz_out(${p}, ${n}) : (!llvm.ptr, ${i}) -> ()`);
  L.push(`    llvm.call @__tcfuzz_end(${kv}) : (${i}) -> ()`);
  L.push(`    llvm.br ^next${k}`);
  L.push(`  ^next${k}:`);
  return L.join('\n');
}

/** One exported function running the given programs in order (the harness may skip some). */
export function harnessFunction(
  name: string,
  programs: readonly { k: number; entry: string; args: readonly MemRefType[] }[],
  index: IndexWidth,
): string {
  const bodies = programs.map((p) => harnessBody(p.k, p.entry, p.args, index)).join('\n');
  return `  llvm.func @${name}() {\n${bodies}\n    llvm.return\n  }`;
}

/**
 * LLVM leaves the padding bits of odd-width integers unspecified (an i5 store may leave garbage in bits 5-7), so
 * outputs are compared on the value bits only. Widths that fill their bytes, floats and index pass through.
 */
export function maskPadding(t: MemRefType, bytes: Uint8Array, index: IndexWidth): Uint8Array {
  const e = t.elem;
  if (e.kind !== 'int') return bytes;
  const eb = elementBytes(e, index / 8);
  if (e.width === eb * 8) return bytes;
  const out = new Uint8Array(bytes);
  const full = e.width >> 3;
  const rem = e.width & 7;
  for (let off = 0; off + eb <= out.length; off += eb) {
    if (rem !== 0) out[off + full] = out[off + full]! & ((1 << rem) - 1);
    for (let b = full + (rem !== 0 ? 1 : 0); b < eb; b++) out[off + b] = 0;
  }
  return out;
}
