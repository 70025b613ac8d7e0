// Every printMemref* symbol libmlir_runner_utils 22 exports, for every element type it supports, prints the same
// bytes on the reference interpreter, native mlir-runner (ground truth) and wasm (memref addresses normalised).
// Inputs come from the ABI's input filler: small negative and positive values, so i8 data is raw bytes such as
// 0xf7 and 0x0a that are not UTF-8 text.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { MemrefElem } from '../../numeric/runner-utils-print.ts';
import { MEMREF_ELEM_TYPES, MEMREF_PRINTERS } from '../../numeric/runner-utils-print.ts';
import { bufferMemRef, fillInputs } from '../../ir/entry-abi.ts';
import { toolchainSkip } from '../targets/mlir/helpers.ts';
import { checkPrograms, compiledExecutors } from './check-cases.ts';

const skip = toolchainSkip();

/** A program printing its arguments through every printer of `elem` reachable with (or without) emit_c_interface. */
function printerProgram(elem: MemrefElem, cInterface: boolean): string {
  const t = MEMREF_ELEM_TYPES[elem];
  const attr = cInterface ? ' attributes { llvm.emit_c_interface }' : '';
  const has = (name: string): boolean => MEMREF_PRINTERS.has(cInterface ? `_mlir_ciface_${name}` : name);
  const decls: string[] = [];
  const body: string[] = [];
  const unranked = `memref<*x${t}>`;
  const callUnranked = (v: string, ty: string, fn: string): void => {
    body.push(`  %u${body.length} = memref.cast ${v} : ${ty} to ${unranked}`, `  call @${fn}(%u${body.length}) : (${unranked}) -> ()`);
  };
  const dyn = (rank: number): string =>
    rank === 0 ? `memref<${t}, strided<[], offset: ?>>` : `memref<${'?x'.repeat(rank)}${t}, strided<[${Array(rank).fill('?').join(', ')}], offset: ?>>`;
  const A = `memref<2x3x${t}>`;
  const B = `memref<2x2x2x${t}>`;
  const C = `memref<5x${t}>`;
  const D = `memref<1x2x1x3x${t}>`;
  const print = `printMemref${elem}`;
  if (has(print)) {
    decls.push(`func.func private @${print}(${unranked})${attr}`);
    callUnranked('%a', A, print);
    callUnranked('%b', B, print);
    callUnranked('%c', C, print);
    callUnranked('%d', D, print);
    // A strided view with an offset, and a rank-0 view.
    body.push(`  %s = memref.subview %a[0, 1] [2, 2] [1, 1] : ${A} to memref<2x2x${t}, strided<[3, 1], offset: 1>>`);
    callUnranked('%s', `memref<2x2x${t}, strided<[3, 1], offset: 1>>`, print);
    body.push(`  %z = memref.reinterpret_cast %a to offset: [5], sizes: [], strides: [] : ${A} to memref<${t}, strided<[], offset: 5>>`);
    callUnranked('%z', `memref<${t}, strided<[], offset: 5>>`, print);
  }
  const shape = `printMemrefShape${elem}`;
  if (has(shape)) {
    decls.push(`func.func private @${shape}(${unranked})${attr}`);
    callUnranked('%b', B, shape);
  }
  const views: Record<number, [string, string]> = { 1: ['%c', C], 2: ['%a', A], 3: ['%b', B], 4: ['%d', D] };
  for (const rank of [0, 1, 2, 3, 4]) {
    const fn = `printMemref${rank}d${elem}`;
    if (!has(fn)) continue;
    decls.push(`func.func private @${fn}(${dyn(rank)})${attr}`);
    let [v, ty] = views[rank] ?? ['', ''];
    if (rank === 0) {
      body.push(`  %z0 = memref.reinterpret_cast %a to offset: [4], sizes: [], strides: [] : ${A} to memref<${t}, strided<[], offset: 4>>`);
      [v, ty] = ['%z0', `memref<${t}, strided<[], offset: 4>>`];
    }
    if (rank === 1) {
      // Every other element from the second: stride 2, offset 1.
      body.push(`  %s1 = memref.subview %c[1] [2] [2] : ${C} to memref<2x${t}, strided<[2], offset: 1>>`);
      [v, ty] = ['%s1', `memref<2x${t}, strided<[2], offset: 1>>`];
    }
    body.push(`  %r${rank} = memref.cast ${v} : ${ty} to ${dyn(rank)}`, `  call @${fn}(%r${rank}) : (${dyn(rank)}) -> ()`);
  }
  if (body.length === 0) return '';
  return `${decls.join('\n')}\nfunc.func @main(%a: ${A}, %b: ${B}, %c: ${C}, %d: ${D}) {\n${body.join('\n')}\n  return\n}\n`;
}

const ELEMS = Object.keys(MEMREF_ELEM_TYPES) as MemrefElem[];
const PROGRAMS = ELEMS.flatMap((elem) =>
  [true, false].map((ci) => ({ name: `printMemref*${elem}${ci ? ' (emit_c_interface)' : ' (C ABI)'}`, text: printerProgram(elem, ci) })),
).filter((p) => p.text !== '');

describe('runner-utils printers print the same bytes on interp, native and wasm', { skip }, () => {
  const executors = skip ? [] : compiledExecutors();
  after(() => Promise.all(executors.map((e) => e.close())));
  const checked = skip ? undefined : checkPrograms(PROGRAMS, executors);

  test('every printMemref* symbol of libmlir_runner_utils is exercised', () => {
    const used = new Set(PROGRAMS.flatMap((p) => [...p.text.matchAll(/func\.func private @(\w+)\(.*\)( attributes)?/g)].map((m) => (m[2] ? '_mlir_ciface_' : '') + m[1])));
    assert.deepEqual([...MEMREF_PRINTERS.keys()].filter((s) => !used.has(s)), []);
  });

  for (const p of PROGRAMS) {
    test(p.name, async () => {
      const r = (await checked!).get(p.name)!;
      assert.equal(r.reference.kind, 'ok', JSON.stringify(r.reference).slice(0, 600));
      assert.deepEqual(r.findings, []);
    });
  }

  test('printMemrefI8 prints raw chars, not numbers (the element bytes themselves)', async () => {
    const { case: c, reference: r } = (await checked!).get('printMemref*I8 (emit_c_interface)')!;
    assert.equal(r.kind, 'ok');
    if (r.kind !== 'ok') return;
    // %c: memref<5xi8>, the third argument; its data line is [b0,  b1,  b2,  b3,  b4].
    const bytes = fillInputs(c.program.entry.args.map(bufferMemRef), c.inputSeed, 64)[2]!;
    const want = Buffer.concat([Buffer.from('['), ...[...bytes].flatMap((b, k) => [Buffer.from(k ? ',  ' : ''), Buffer.from([b])]), Buffer.from(']\n')]);
    assert.ok(Buffer.from(r.stdout).includes(want), `no ${JSON.stringify(want.toString('latin1'))} in ${JSON.stringify(Buffer.from(r.stdout).toString('latin1'))}`);
    assert.ok(bytes.some((b) => b >= 0x80), 'the inputs include bytes that are not ASCII');
  });
});
