// Ground truth for the interpreter tests: runs programs through mlir-opt + mlir-runner (JIT) with the
// runner-utils libraries. Buffers come back exactly: a wrapper entry fills @main's arguments from globals,
// calls it, then prints every element's bits as an integer, one per line.
import type { Operation } from '../../ir/core.ts';
import { elementBytes } from '../../ir/inputs.ts';
import { printOp } from '../../ir/printer.ts';
import type { MemRefType } from '../../ir/types.ts';
import { numElements, printType } from '../../ir/types.ts';
import { runResuming } from '../../exec/batch-runner.ts';
import { runTool } from '../../exec/tool-driver.ts';
import { findToolchain } from '../../targets/mlir/toolchain.ts';
import { runnerLibraries } from '../helpers/toolchain.ts';

const END = '#END';
const DUMP = '#DUMP';

type BatchProgram = { module: Operation; args: readonly MemRefType[]; inputs: readonly Uint8Array[] };

export type NativeResult = { ok: true; stdout: Uint8Array } | { ok: false; error: string };

/**
 * The ground-truth lowering: a fixed CPU pipeline of upstream conversions that covers every op the interpreter
 * tests use (it is deliberately independent of targets/mlir/, whose suffix is itself under test elsewhere).
 */
export const LOWERING =
  'builtin.module(func.func(lower-vector-multi-reduction,lower-vector-mask,convert-vector-to-scf),memref-expand,' +
  'convert-math-to-funcs{convert-ctlz=false},lower-affine,convert-scf-to-cf,func.func(math-extend-to-supported-types),' +
  'convert-vector-to-llvm,convert-math-to-llvm,convert-math-to-libm,expand-strided-metadata,lower-affine,' +
  // arith before memref: generic_atomic_rmw only lowers once its body is LLVM.
  'convert-arith-to-llvm,finalize-memref-to-llvm,convert-index-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,convert-ub-to-llvm,' +
  'reconcile-unrealized-casts)';

/** Lowers MLIR text with the ground-truth pipeline and JIT-runs `entry`; stdout as the bytes printed. */
export async function runNative(text: string, entry = 'main', timeoutMs = 60_000, before = '', result: 'void' | 'i32' | 'i64' | 'f32' = 'void'): Promise<NativeResult> {
  const tc = findToolchain();
  // `before`: passes run ahead of the lowering (e.g. the pass under test in a bug fixture).
  const pipeline = before ? LOWERING.replace('builtin.module(', `builtin.module(${before},`) : LOWERING;
  const opt = await runTool({ cmd: tc.path('mlir-opt'), args: [`--pass-pipeline=${pipeline}`, '-'], stdin: text, timeoutMs });
  if (opt.exitCode !== 0) return { ok: false, error: `mlir-opt: ${opt.stderr.slice(0, 2000)}` };
  const run = await runTool({
    cmd: tc.path('mlir-runner'),
    args: ['-e', entry, `-entry-point-result=${result}`, `-shared-libs=${runnerLibraries(tc).join(',')}`],
    stdin: opt.stdout,
    timeoutMs,
    stdoutBinary: true,
  });
  if (run.exitCode !== 0) return { ok: false, error: `mlir-runner exit ${run.exitCode} ${run.signal ?? ''}: ${run.stderr.slice(0, 2000)}` };
  return { ok: true, stdout: Uint8Array.from(run.stdoutBytes!) };
}

function bitsType(t: MemRefType): { bits: string; width: number } {
  const e = t.elem;
  if (e.kind === 'float') return { bits: e.name === 'f64' ? 'i64' : e.name === 'f32' ? 'i32' : 'i16', width: e.name === 'f64' ? 64 : e.name === 'f32' ? 32 : 16 };
  if (e.kind === 'index') return { bits: 'index', width: 64 };
  if (e.kind === 'int' && e.width <= 64) return { bits: `i${e.width}`, width: e.width };
  throw new Error(`harness: no dump for ${printType(t)}`);
}

/** Element values of ABI bytes as MLIR literals (ints signed decimal, floats as hex bit patterns). */
function denseLiteral(t: MemRefType, bytes: Uint8Array): string {
  const eb = elementBytes(t.elem);
  const n = numElements(t.shape);
  const vals: string[] = [];
  for (let k = 0; k < n; k++) {
    let u = 0n;
    for (let b = eb - 1; b >= 0; b--) u = (u << 8n) | BigInt(bytes[k * eb + b]!);
    const e = t.elem;
    if (e.kind === 'float') vals.push('0x' + u.toString(16).toUpperCase().padStart(eb * 2, '0'));
    else if (e.kind === 'int' && e.width === 1) vals.push(u & 1n ? 'true' : 'false');
    else vals.push(BigInt.asIntN(e.kind === 'int' ? e.width : 64, u).toString());
  }
  const shaped = (d: number, pos: { i: number }): string =>
    d === t.shape.length ? vals[pos.i++]! : `[${Array.from({ length: t.shape[d]! }, () => shaped(d + 1, pos)).join(', ')}]`;
  return t.shape.length === 0 ? vals[0]! : shaped(0, { i: 0 });
}

/**
 * One module holding every program (symbols prefixed `p<k>_`) and an entry per program that prints its buffers.
 * The modules are mutated (renamed); pass throwaway copies.
 */
export function batchText(programs: readonly BatchProgram[]): string {
  const bodies: string[] = [];
  const decls = new Set<string>();
  programs.forEach((p, k) => {
    const prefix = `p${k}_`;
    const undo = renameSymbols(p.module, prefix);
    const text = printOp(p.module);
    undo();
    // Splice the program's top-level ops (between the module's braces) into the batch module.
    const inner = text.slice(text.indexOf('({') + 2, text.lastIndexOf('})')).trim();
    // External declarations may repeat across programs (and the harness's own): keep one of each.
    bodies.push(
      inner.replace(/^ *"func\.func"\(\) <\{function_type = [^}]*sym_name = "([^"]+)", sym_visibility = "private"\}> \(\{\n *\}\) : \(\) -> \(\)$/gm, (line, name: string) => {
        if (decls.has(name)) return '';
        decls.add(name);
        return line;
      }),
    );
    const lines: string[] = [];
    const callArgs: string[] = [];
    p.args.forEach((t, a) => {
      const ty = printType(t);
      lines.push(`memref.global "private" constant @${prefix}in${a} : ${ty} = dense<${denseLiteral(t, p.inputs[a]!)}>`);
    });
    lines.push(`func.func @${prefix}entry() {`);
    lines.push('  %c0 = arith.constant 0 : index');
    lines.push('  %c1 = arith.constant 1 : index');
    p.args.forEach((t, a) => {
      const ty = printType(t);
      lines.push(`  %g${a} = memref.get_global @${prefix}in${a} : ${ty}`);
      lines.push(`  %a${a} = memref.alloc() : ${ty}`);
      lines.push(`  memref.copy %g${a}, %a${a} : ${ty} to ${ty}`);
      callArgs.push(`%a${a}`);
    });
    lines.push(`  func.call @${prefix}main(${callArgs.join(', ')}) : (${p.args.map(printType).join(', ')}) -> ()`);
    lines.push(`  vector.print str "${DUMP}\\n"`);
    p.args.forEach((t, a) => {
      const ty = printType(t);
      const n = numElements(t.shape);
      const el = printType(t.elem);
      const flat = `memref<${n}x${el}>`;
      const { bits, width } = bitsType(t);
      lines.push(`  %f${a} = memref.reinterpret_cast %a${a} to offset: [0], sizes: [${n}], strides: [1] : ${ty} to ${flat}`);
      lines.push(`  %n${a} = arith.constant ${n} : index`);
      lines.push(`  scf.for %i = %c0 to %n${a} step %c1 {`);
      lines.push(`    %v = memref.load %f${a}[%i] : ${flat}`);
      let cur = '%v';
      if (t.elem.kind === 'float') {
        lines.push(`    %b = arith.bitcast %v : ${el} to ${bits}`);
        cur = '%b';
      }
      if (bits === 'index') lines.push(`    %e = arith.index_cast ${cur} : index to i64`);
      else if (width < 64) lines.push(`    %e = arith.extui ${cur} : ${bits} to i64`);
      const out = bits === 'index' || width < 64 ? '%e' : cur;
      // vector.print, not printU64 declarations: its lowering declares the printers itself and would clash.
      lines.push(`    vector.print ${out} : i64`);
      lines.push('  }');
    });
    lines.push('  return');
    lines.push('}');
    bodies.push(lines.join('\n'));
  });
  return `module {\n${bodies.join('\n')}\n}\n`;
}

/** Prefixes every symbol defined in the module and every reference to one (external declarations such as the
 * runner-utils printers keep their names: the JIT resolves them by name); returns the undo. */
function renameSymbols(module: Operation, prefix: string): () => void {
  const undo: (() => void)[] = [];
  const external = new Set<string>();
  for (const op of module.walk()) {
    const sym = op.props['sym_name'];
    if (op.name === 'func.func' && sym?.kind === 'string' && (op.regions[0]?.blocks.length ?? 0) === 0) external.add(sym.value);
  }
  for (const op of module.walk()) {
    for (const bag of [op.props, op.attrs]) {
      for (const [key, a] of Object.entries(bag)) {
        if (key === 'sym_name' && a.kind === 'string' && !external.has(a.value)) bag[key] = { kind: 'string', value: prefix + a.value };
        else if (a.kind === 'symbol' && !external.has(a.path[a.path.length - 1]!)) bag[key] = { kind: 'symbol', path: a.path.map((s) => prefix + s) };
        else continue;
        undo.push(() => (bag[key] = a));
      }
    }
  }
  return () => undo.forEach((f) => f());
}

export type NativeRun = { stdout: Uint8Array; buffers: Uint8Array[] };

/** Splits the output of a batch entry (latin1: one char per byte) into the program's own stdout and per-buffer bytes (ABI layout). */
export function parseDump(text: string, args: readonly MemRefType[]): NativeRun {
  const at = text.lastIndexOf(`${DUMP}\n`);
  if (at < 0) throw new Error('native output has no dump marker');
  const lines = text.slice(at + DUMP.length + 1).split('\n').filter((l) => l !== '');
  let pos = 0;
  const buffers = args.map((t) => {
    const n = numElements(t.shape);
    const eb = elementBytes(t.elem);
    const out = new Uint8Array(n * eb);
    for (let k = 0; k < n; k++) {
      const line = lines[pos++];
      if (line === undefined) throw new Error('native dump is short');
      let u = BigInt.asUintN(64, BigInt(line));
      for (let b = 0; b < eb; b++) {
        out[k * eb + b] = Number(u & 0xffn);
        u >>= 8n;
      }
    }
    return out;
  });
  return { stdout: Uint8Array.from(Buffer.from(text.slice(0, at), 'latin1')), buffers };
}

/**
 * Runs the programs natively in one mlir-opt and one mlir-runner; a batch that fails is narrowed down by the
 * batch runner until the failing program stands alone with the error.
 */
export async function runNativeBatch(programs: readonly BatchProgram[]): Promise<(NativeRun | { error: string })[]> {
  return runResuming<BatchProgram, NativeRun | { error: string }>([...programs], Math.max(1, programs.length), async (group, start) => {
    const rest = group.slice(start);
    const text = batchText(rest);
    const all = `func.func @all_entry() {\n${rest.map((_, k) => `  func.call @p${k}_entry() : () -> ()\n  vector.print str "${END}\\n"\n`).join('')}  return\n}\n`;
    const res = await runNative(text.replace(/\}\n$/, all + '}\n'), 'all_entry', 180_000);
    if (!res.ok) return { kind: 'failed', failure: { error: res.error } };
    const parts = Buffer.from(res.stdout).toString('latin1').split(`${END}\n`);
    return { kind: 'progress', results: new Map(rest.map((p, k) => [start + k, parseDump(parts[k] ?? '', p.args)])), next: group.length };
  });
}
