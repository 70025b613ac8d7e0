// The differential check over every fixture program in the repository: interp, native and wasm agree on each,
// except where a listed compiler bug (or a listed tcfuzz lowering gap) says otherwise. A listed finding that
// no longer appears fails too: the bug was fixed or the fixture changed, so the list must follow.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { ROOT, toolchainSkip } from '../targets/mlir/helpers.ts';
import { checkPrograms, compiledExecutors } from './check-cases.ts';

const skip = toolchainSkip();

/** Fixtures that are not judged, and why. */
const NOT_PROGRAMS: readonly [RegExp, string][] = [
  [/^fixtures\/golden\//, 'printer/parser goldens, not programs (several modules per file, scalar @main arguments)'],
  [/^fixtures\/interpreter\/ub\//, 'UB on purpose: the reference discards them, they are never judged'],
  [/^fixtures\/cli\/div-by-zero\.mlir$/, 'UB on purpose (the CLI test of UB reporting)'],
  [/^fixtures\/cli\/bad-type\.mlir$/, 'invalid input on purpose (the CLI test of diagnostics)'],
  [
    /^fixtures\/backends\/bugs\/memref-reshape-dynamic-(?:32bit-index|i32-shape)\.mlir$/,
    'pass reproducers whose @main returns the reshaped memref: not the input ABI (outputs in argument buffers)',
  ],
  [
    /^fixtures\/backends\/bugs\/vector-print-index-32bit\.mlir$/,
    'a pass reproducer that carries a wasm32 data layout (dlti index = 32): mlir-runner cannot parse DLTI, and the wasm backend adds its own spec',
  ],
];

type Known = { readonly backend: 'native' | 'wasm'; readonly kind: 'stdout' | 'buffer' | 'invalid-ir' | 'compile-failure'; readonly detail?: RegExp; readonly bug: string };

const CLAMPF = 'math-expand-ops expands math.clampf with its bounds swapped (fixtures/interpreter/mlir-bugs/clampf-expand.mlir)';
const AFFINE_EMPTY = 'affine.for canonicalization leaves an empty bound map (fixtures/backends/bugs/canonicalize-affine-for-empty-lower-bound.mlir)';
const PRINT_INDEX_32 = 'vector.print of an index under a 32-bit index calls printU64 with an i32 (fixtures/backends/bugs/vector-print-index-32bit.mlir)';
const TYPE_CAST_32 =
  'vector.type_cast (from convert-vector-to-scf on n-D transfers) lowers with i64 offset/sizes into a 32-bit-index memref descriptor: ' +
  "verifier failure after convert-to-llvm{dynamic=true} under dlti index = 32 (\"cannot insert 'i64' into '!llvm.struct<(ptr, ptr, i32...\")";
const VECTOR_FMA =
  'vector.fma is documented to lower to llvm.fma but convert-vector-to-llvm emits llvm.intr.fmuladd, which wasm32 computes unfused (mul, then add)';
const ATOMIC_RMW_GAP =
  'tcfuzz gap, not a compiler bug: NATIVE_SUFFIX runs finalize-memref-to-llvm before convert-arith-to-llvm, so memref.generic_atomic_rmw (lowered only once its body is LLVM) is left';

const MAX_BOUND_MOD = 'affine.for canonicalization drops the 1 from max(1, %i mod 4) (fixtures/backends/bugs/canonicalize-affine-for-max-bound-mod.mlir)';
const ATAN2_FOLD = "math.atan2's folder gives NaN for atan2(0, 0) where C gives 0 (fixtures/backends/bugs/math-atan2-fold-zero.mlir)";
const RESHAPE_32 = 'memref.reshape to a dynamic size under a 32-bit index is left unlowered (fixtures/backends/bugs/memref-reshape-dynamic-32bit-index.mlir)';
const RESHAPE_I32 = 'memref.reshape with an i32 shape buffer reads each size as 64 bits (fixtures/backends/bugs/memref-reshape-unranked-i32-shape.mlir)';

const printIndex: Known = { backend: 'wasm', kind: 'invalid-ir', detail: /'llvm\.call' op operand type mismatch for operand 0: 'i32' != 'i64'/, bug: PRINT_INDEX_32 };

/** Per fixture, every finding the check reports on it. */
const KNOWN: Readonly<Record<string, readonly Known[]>> = {
  'fixtures/backends/programs/math-lowering.mlir': [
    { backend: 'native', kind: 'buffer', bug: CLAMPF },
    { backend: 'wasm', kind: 'buffer', bug: CLAMPF },
  ],
  'fixtures/interpreter/mlir-bugs/clampf-expand.mlir': [
    { backend: 'native', kind: 'stdout', bug: CLAMPF },
    { backend: 'wasm', kind: 'stdout', bug: CLAMPF },
  ],
  'fixtures/backends/bugs/canonicalize-affine-for-empty-lower-bound.mlir': [
    { backend: 'native', kind: 'invalid-ir', detail: /expected lower bound map to have at least one result/, bug: AFFINE_EMPTY },
    { backend: 'wasm', kind: 'invalid-ir', detail: /expected lower bound map to have at least one result/, bug: AFFINE_EMPTY },
  ],
  'fixtures/backends/bugs/canonicalize-affine-for-max-bound-mod.mlir': [
    { backend: 'native', kind: 'buffer', bug: MAX_BOUND_MOD },
    { backend: 'wasm', kind: 'buffer', bug: MAX_BOUND_MOD },
  ],
  'fixtures/backends/bugs/math-atan2-fold-zero.mlir': [
    { backend: 'native', kind: 'buffer', bug: ATAN2_FOLD },
    { backend: 'wasm', kind: 'buffer', bug: ATAN2_FOLD },
  ],
  'fixtures/backends/bugs/memref-reshape-unranked-i32-shape.mlir': [{ backend: 'native', kind: 'stdout', bug: RESHAPE_I32 }, printIndex],
  'fixtures/interpreter/mlir-bugs/affine-for-empty-bound.mlir': [
    { backend: 'native', kind: 'invalid-ir', detail: /expected upper bound map to have at least one result/, bug: AFFINE_EMPTY },
    { backend: 'wasm', kind: 'invalid-ir', detail: /expected upper bound map to have at least one result/, bug: AFFINE_EMPTY },
  ],
  'fixtures/interpreter/print/scalars.mlir': [printIndex],
  'fixtures/interpreter/print/vectors.mlir': [printIndex],
  'fixtures/interpreter/semantics/casts.mlir': [printIndex],
  'fixtures/interpreter/semantics/control.mlir': [printIndex],
  'fixtures/interpreter/semantics/control-more.mlir': [printIndex],
  'fixtures/interpreter/semantics/divisions.mlir': [printIndex],
  'fixtures/interpreter/semantics/vector-ops.mlir': [printIndex],
  'fixtures/interpreter/semantics/memref-views.mlir': [
    { backend: 'native', kind: 'compile-failure', detail: /left non-LLVM ops: .*memref\.generic_atomic_rmw/, bug: ATOMIC_RMW_GAP },
    printIndex,
  ],
  'fixtures/interpreter/semantics/transfer.mlir': [{ backend: 'wasm', kind: 'invalid-ir', detail: /cannot insert 'i64' into/, bug: TYPE_CAST_32 }],
  'fixtures/interpreter/semantics/vector-more.mlir': [{ backend: 'wasm', kind: 'invalid-ir', detail: /cannot insert 'i64' into/, bug: TYPE_CAST_32 }],
  'fixtures/interpreter/semantics/memref-reshape.mlir': [{ backend: 'wasm', kind: 'compile-failure', detail: /left non-LLVM ops: .*memref\.reshape/, bug: RESHAPE_32 }],
  'fixtures/interpreter/semantics/vector-mask.mlir': [{ backend: 'wasm', kind: 'invalid-ir', detail: /cannot insert 'i64' into/, bug: TYPE_CAST_32 }],
  'fixtures/interpreter/semantics/fma.mlir': [{ backend: 'wasm', kind: 'stdout', bug: VECTOR_FMA }],
};

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? fixtureFiles(p) : f.endsWith('.mlir') ? [p] : [];
    });
}

const FILES = fixtureFiles(join(ROOT, 'fixtures'))
  .map((p) => relative(ROOT, p))
  .filter((f) => !NOT_PROGRAMS.some(([re]) => re.test(f)))
  .filter((f) => /^\s*func\.func @main\(/m.test(readFileSync(join(ROOT, f), 'utf8')));

describe('every fixture program agrees on interp, native and wasm, but for listed bugs', { skip }, () => {
  const executors = skip ? [] : compiledExecutors();
  after(() => Promise.all(executors.map((e) => e.close())));
  const checked = skip ? undefined : checkPrograms(FILES.map((f) => ({ name: f, text: readFileSync(join(ROOT, f), 'utf8') })), executors);

  test('the fixtures are found, and every listed one is among them', () => {
    assert.ok(FILES.length >= 40, `only ${FILES.length} fixture programs`);
    assert.deepEqual(Object.keys(KNOWN).filter((f) => !FILES.includes(f)), []);
  });

  for (const file of FILES) {
    test(file, async () => {
      const r = (await checked!).get(file)!;
      assert.notEqual(r.reference.kind, 'unsupported', `the reference cannot run ${file}: ${JSON.stringify(r.reference)}`);
      // A miscompile by where it differs (buffer or stdout), any other finding by its kind.
      const found = r.findings.map((f) => ({ backend: f.executor, kind: f.difference?.kind ?? f.kind, detail: f.detail }));
      const known = KNOWN[file] ?? [];
      const unexplained = found.filter((f) => !known.some((k) => k.backend === f.backend && k.kind === f.kind && (k.detail?.test(f.detail) ?? true)));
      assert.deepEqual(unexplained, [], `${file}: findings no listed bug explains`);
      const gone = known.filter((k) => !found.some((f) => k.backend === f.backend && k.kind === f.kind && (k.detail?.test(f.detail) ?? true)));
      assert.deepEqual(gone.map((k) => `${k.backend} ${k.kind}: ${k.bug}`), [], `${file}: listed findings no longer appear (fixed upstream? remove them from KNOWN)`);
    });
  }
});
