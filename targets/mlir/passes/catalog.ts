// The passes tcfuzz may put in a pipeline (DESIGN §6): every mlir-opt 22 pass that can act on the dialects we
// generate (func, cf, arith, math, memref, scf, affine, vector), test-* passes included. Option domains are the
// search space; they are deliberately small where a large value only makes programs bigger.
// test/targets/mlir/catalog.test.ts checks every name and option against the installed `mlir-opt --help`, and each
// anchor by running the pass on a real program.
import type { OptionDomain, PassInfo, PassStage, SemanticsPromise } from '../../../contracts/pipeline.ts';

export type { OptionDomain } from '../../../contracts/pipeline.ts';

/** Where the pass runs: op-agnostic passes ('any') may sit at module level or nested in func.func. */
export type Anchor = 'builtin.module' | 'func.func' | 'any';

export type PassSpec = PassInfo & {
  readonly anchor: Anchor;
  /** Dialects whose ops the pass rewrites ('*' for dialect-agnostic passes). */
  readonly dialects: readonly string[];
};

const bool = { kind: 'bool' } as const;
const int = (min: number, max: number): OptionDomain => ({ kind: 'int', min, max });
const list = (min: number, max: number, maxLen: number): OptionDomain => ({ kind: 'int-list', min, max, maxLen });
const oneOf = (...values: string[]): OptionDomain => ({ kind: 'enum', values });
const str = (...values: string[]): OptionDomain => ({ kind: 'string', values });
const num = (...values: number[]): OptionDomain => ({ kind: 'number', values });

type Extra = Pick<PassSpec, 'required' | 'changesEntryAbi'>;
function p(
  name: string,
  anchor: Anchor,
  stage: PassStage,
  dialects: readonly string[],
  options: Record<string, OptionDomain> = {},
  extra: Extra = {},
): PassSpec {
  return { name, anchor, anchors: [anchor], stage, dialects, options, ...extra };
}

const ANY = ['*'];
const AFFINE = ['affine'];
const SCF = ['scf'];
const MEMREF = ['memref'];
const VECTOR = ['vector'];
const ARITH = ['arith'];
const MATH = ['math'];

const CATALOG: readonly PassSpec[] = [
  // --- dialect-agnostic optimisation -------------------------------------------------------------------------
  p('canonicalize', 'any', 'optimization', ANY, {
    'max-iterations': int(1, 10),
    'max-num-rewrites': int(1, 64),
    'region-simplify': oneOf('disabled', 'normal', 'aggressive'),
    'top-down': bool,
  }),
  p('cse', 'any', 'optimization', ANY),
  p('sccp', 'any', 'optimization', ANY),
  p('control-flow-sink', 'any', 'optimization', ANY),
  p('loop-invariant-code-motion', 'any', 'optimization', ANY),
  p('loop-invariant-subset-hoisting', 'any', 'optimization', ANY),
  p('inline', 'builtin.module', 'optimization', ANY, {
    'inlining-threshold': int(0, 16),
    'max-iterations': int(1, 8),
    'default-pipeline': str('canonicalize', 'cse', ''),
  }),
  p('symbol-dce', 'builtin.module', 'optimization', ANY),
  // Without the exclusion @main turns private and the next symbol-dce deletes the entry point.
  p('symbol-privatize', 'builtin.module', 'optimization', ANY, { exclude: str('main') }, { required: { exclude: 'main' } }),
  p('remove-dead-values', 'builtin.module', 'optimization', ANY, { canonicalize: bool }),
  p('mem2reg', 'any', 'optimization', ANY, { 'region-simplify': bool }),
  p('sroa', 'any', 'optimization', ANY),
  p('topological-sort', 'any', 'optimization', ANY),
  p('strip-debuginfo', 'any', 'optimization', ANY),
  p('duplicate-function-elimination', 'builtin.module', 'optimization', ['func']),
  p('lift-cf-to-scf', 'any', 'optimization', ['cf']),
  p('generate-runtime-verification', 'any', 'optimization', ANY, { 'verbose-level': int(0, 1) }),

  // --- arith / math ------------------------------------------------------------------------------------------
  p('int-range-optimizations', 'any', 'optimization', ARITH),
  p('arith-int-range-narrowing', 'any', 'optimization', ARITH, { 'int-bitwidths-supported': list(8, 64, 4) }),
  p('arith-unsigned-when-equivalent', 'any', 'optimization', ARITH),
  p('arith-expand', 'any', 'optimization', ARITH, { 'include-bf16': bool }),
  // widest-int-supported=16 would need i32 memref arguments split into vector<2xi16>, which the pass cannot do.
  p('arith-emulate-wide-int', 'any', 'optimization', ARITH, { 'widest-int-supported': num(32) }, { changesEntryAbi: true }),
  p(
    'arith-emulate-unsupported-floats',
    'any',
    'optimization',
    ARITH,
    { 'source-types': str('bf16', 'f16', 'bf16,f16'), 'target-type': str('f32', 'f64') },
    { required: { 'source-types': 'bf16', 'target-type': 'f32' } },
  ),
  p('math-uplift-to-fma', 'any', 'optimization', MATH),
  p('math-expand-ops', 'any', 'optimization', MATH, {
    ops: str('', 'tan', 'tanh', 'sinh', 'cosh', 'asinh', 'acosh', 'atanh', 'fma', 'ceil', 'exp2', 'powf', 'fpowi', 'roundeven', 'round', 'rsqrt'),
  }),
  p('math-extend-to-supported-types', 'any', 'optimization', MATH, { 'target-type': str('f32', 'f64') }),
  p('math-sincos-fusion', 'any', 'optimization', MATH),
  p('test-math-polynomial-approximation', 'any', 'test', MATH),
  p('test-math-algebraic-simplification', 'any', 'test', MATH),
  p('test-arith-emulate-wide-int', 'func.func', 'test', ARITH, { 'widest-int-supported': num(32) }, { changesEntryAbi: true }),

  // --- affine ------------------------------------------------------------------------------------------------
  p('affine-data-copy-generate', 'func.func', 'optimization', AFFINE, {
    'fast-mem-space': int(0, 2),
    'slow-mem-space': int(0, 0),
    'fast-mem-capacity': int(1, 64),
    'min-dma-transfer': int(1, 1024),
    'skip-non-unit-stride-loops': bool,
    'generate-dma': bool,
  }),
  p('affine-expand-index-ops', 'any', 'optimization', AFFINE),
  p('affine-expand-index-ops-as-affine', 'any', 'optimization', AFFINE),
  p('affine-fold-memref-alias-ops', 'any', 'optimization', ['affine', 'memref']),
  p('affine-loop-coalescing', 'func.func', 'optimization', AFFINE),
  p('affine-loop-fusion', 'any', 'optimization', AFFINE, {
    'compute-tolerance': num(0, 0.3, 1, 10),
    maximal: bool,
    mode: oneOf('greedy', 'producer', 'sibling'),
    'local-buf-threshold': int(0, 64),
  }),
  p('affine-loop-invariant-code-motion', 'func.func', 'optimization', AFFINE),
  p('affine-loop-normalize', 'func.func', 'optimization', AFFINE, { 'promote-single-iter': bool }),
  p('affine-loop-tile', 'func.func', 'optimization', AFFINE, {
    'cache-size': int(1, 512),
    separate: bool,
    'tile-size': int(1, 8),
    'tile-sizes': list(1, 8, 3),
  }),
  p('affine-loop-unroll', 'func.func', 'optimization', AFFINE, {
    'unroll-factor': int(-1, 8),
    'cleanup-unroll': bool,
    'unroll-full-threshold': int(0, 16),
    'unroll-num-reps': int(1, 3),
    'unroll-up-to-factor': bool,
  }),
  p('affine-loop-unroll-jam', 'func.func', 'optimization', AFFINE, { 'unroll-jam-factor': int(1, 8) }),
  p('affine-parallelize', 'func.func', 'optimization', AFFINE, { 'max-nested': int(1, 3), 'parallel-reductions': bool }),
  p('affine-pipeline-data-transfer', 'func.func', 'optimization', AFFINE),
  p('affine-raise-from-memref', 'func.func', 'optimization', ['affine', 'memref']),
  p('affine-scalrep', 'func.func', 'optimization', AFFINE),
  p('affine-simplify-min-max', 'func.func', 'optimization', AFFINE),
  p('affine-simplify-structures', 'func.func', 'optimization', AFFINE),
  // 2-D virtual vectors exist but reject vectorize-reductions, so the domain stays 1-D.
  p('affine-super-vectorize', 'func.func', 'optimization', ['affine', 'vector'], {
    'virtual-vector-size': list(2, 16, 1),
    'vectorize-reductions': bool,
  }, { required: { 'virtual-vector-size': [4] } }),
  p('affine-super-vectorizer-test', 'func.func', 'test', ['affine', 'vector'], {
    'vectorize-affine-loop-nest': bool,
    'vector-shape-ratio': list(1, 8, 2),
  }),
  p('test-affine-data-copy', 'func.func', 'test', AFFINE, { 'for-memref-region': bool, 'memref-filter': bool, 'capacity-kib': int(1, 64) }),
  p('test-affine-loop-unswitch', 'any', 'test', AFFINE),
  p('test-decompose-affine-ops', 'func.func', 'test', AFFINE),
  p('test-loop-fusion', 'func.func', 'test', AFFINE, {
    'test-loop-fusion-dependence-check': bool,
    'test-loop-fusion-slice-computation': bool,
    'test-loop-fusion-utilities': bool,
  }),
  // Without the validity check an illegal permutation silently changes the program.
  // The map must be a permutation (an assertion in permuteLoops that release builds skip): drawn from valid ones only.
  p('test-loop-permutation', 'any', 'test', AFFINE, { 'permutation-map': str('1,0', '0,1', '2,0,1', '1,2,0', '0,2,1', '2,1,0'), 'check-validity': bool }, {
    required: { 'check-validity': true, 'permutation-map': '1,0' },
  }),
  p('test-extract-fixed-outer-loops', 'any', 'test', ['affine', 'scf'], { 'test-outer-loop-sizes': list(1, 8, 2) }, {
    required: { 'test-outer-loop-sizes': [2] },
  }),

  // --- scf ---------------------------------------------------------------------------------------------------
  p('scf-for-loop-canonicalization', 'any', 'optimization', SCF),
  p('scf-for-loop-peeling', 'any', 'optimization', SCF, { 'peel-front': bool, 'skip-partial': bool }),
  p('scf-for-loop-range-folding', 'any', 'optimization', SCF),
  p('scf-for-loop-specialization', 'func.func', 'optimization', SCF),
  p('scf-for-to-while', 'any', 'optimization', SCF),
  p('scf-forall-to-for', 'any', 'optimization', SCF),
  p('scf-forall-to-parallel', 'any', 'optimization', SCF),
  p('scf-parallel-for-to-nested-fors', 'any', 'optimization', SCF),
  p('scf-parallel-loop-fusion', 'any', 'optimization', SCF),
  p('scf-parallel-loop-specialization', 'func.func', 'optimization', SCF),
  p('scf-parallel-loop-tiling', 'func.func', 'optimization', SCF, {
    'parallel-loop-tile-sizes': list(1, 8, 3),
    'no-min-max-bounds': bool,
  }, { required: { 'parallel-loop-tile-sizes': [2] } }),
  p('test-scf-for-utils', 'func.func', 'test', SCF),
  p('test-scf-if-utils', 'builtin.module', 'test', SCF),
  p('test-scf-uplift-while-to-for', 'any', 'test', SCF),
  p('test-wrap-scf-while-loop-in-zero-trip-check', 'func.func', 'test', SCF, { 'force-create-check': bool }),
  p('test-loop-unrolling', 'any', 'test', ['scf', 'affine'], {
    'unroll-factor': int(-1, 8),
    'loop-depth': int(0, 2),
    'unroll-up-to-factor': bool,
  }, { required: { 'unroll-factor': 2 } }),
  p('test-parallel-loop-unrolling', 'any', 'test', SCF, { 'unroll-factors': list(1, 4, 2), 'loop-depth': int(0, 2) }, {
    required: { 'unroll-factors': [2] },
  }),

  // --- memref ------------------------------------------------------------------------------------------------
  p('expand-strided-metadata', 'any', 'optimization', MEMREF),
  p('fold-memref-alias-ops', 'any', 'optimization', MEMREF),
  p('memref-expand', 'any', 'optimization', MEMREF),
  p('expand-realloc', 'any', 'optimization', MEMREF, { 'emit-deallocs': bool }),
  p('normalize-memrefs', 'builtin.module', 'optimization', MEMREF, {}, { changesEntryAbi: true }),
  p('flatten-memref', 'any', 'optimization', MEMREF),
  p('memref-emulate-wide-int', 'any', 'optimization', MEMREF, { 'widest-int-supported': num(32) }, { changesEntryAbi: true }),
  p('promote-buffers-to-stack', 'func.func', 'optimization', MEMREF, {
    'max-alloc-size-in-bytes': int(0, 4096),
    'max-rank-of-allocated-memref': int(0, 3),
  }),
  p('buffer-hoisting', 'func.func', 'optimization', MEMREF),
  p('buffer-loop-hoisting', 'func.func', 'optimization', MEMREF),
  p('optimize-allocation-liveness', 'func.func', 'optimization', MEMREF),
  p('resolve-shaped-type-result-dims', 'any', 'optimization', MEMREF),
  p('resolve-ranked-shaped-type-result-dims', 'any', 'optimization', MEMREF),
  p('test-compose-subview', 'any', 'test', MEMREF),

  // --- vector ------------------------------------------------------------------------------------------------
  p('lower-vector-mask', 'func.func', 'optimization', VECTOR),
  p('lower-vector-multi-reduction', 'func.func', 'optimization', VECTOR, {
    'lowering-strategy': oneOf('inner-parallel', 'inner-reduction'),
  }),
  p('lower-vector-to-from-elements-to-shuffle-tree', 'func.func', 'optimization', VECTOR),
  p('test-vector-to-vector-lowering', 'func.func', 'test', VECTOR, { unroll: bool }),
  p('test-vector-transferop-opt', 'func.func', 'test', VECTOR),
  p('test-vector-transfer-flatten-patterns', 'func.func', 'test', VECTOR, { 'target-vector-bitwidth': int(0, 256) }),
  p('test-vector-unrolling-patterns', 'func.func', 'test', VECTOR, { 'unroll-based-on-type': bool }),
  p('test-vector-transfer-unrolling-patterns', 'func.func', 'test', VECTOR, { 'reverse-unroll-order': bool }),
  p('test-vector-linearize', 'any', 'test', VECTOR),
  p('test-bit-width-constrained-vector-linearize', 'any', 'test', VECTOR, { 'target-vector-bitwidth': int(32, 512) }),
  p('test-vector-sink-patterns', 'func.func', 'test', VECTOR),
  p('test-vector-scan-lowering', 'func.func', 'test', VECTOR),
  p('test-vector-shuffle-lowering', 'func.func', 'test', VECTOR),
  p('test-vector-gather-lowering', 'func.func', 'test', VECTOR),
  p('test-vector-emulate-masked-load-store', 'func.func', 'test', VECTOR),
  p('test-vector-break-down-bitcast', 'func.func', 'test', VECTOR),
  p('test-vector-chained-reduction-folding-patterns', 'func.func', 'test', VECTOR),
  p('test-vector-break-down-reduction-patterns', 'func.func', 'test', VECTOR),
  p('test-vector-reduction-to-contract-patterns', 'func.func', 'test', VECTOR),
  p('test-vector-contraction-prepare-for-mmt-lowering', 'func.func', 'test', VECTOR),
  p('test-scalar-vector-transfer-lowering', 'func.func', 'test', VECTOR, { 'allow-multiple-uses': bool }),
  p('test-fold-arith-extf-into-vector-contract-patterns', 'func.func', 'test', VECTOR),

  // --- generic test drivers ----------------------------------------------------------------------------------
  p('test-greedy-patterns', 'any', 'test', ANY, { 'cse-constants': bool, fold: bool, 'max-iterations': int(1, 10), 'top-down': bool }),
  p('test-single-fold', 'any', 'test', ANY, { 'max-iterations': int(1, 10) }),
  // Not test-bytecode-roundtrip: it prints the module on stdout, where a batch's outputs are read, so the case's
  // output looked unlowered ("the lowering suffix left non-LLVM ops", a false finding of a 2-minute campaign).
  p('test-verify-uselistorder', 'builtin.module', 'test', ANY, { 'rng-seed': int(0, 1000) }),

  // --- lowering (the backend suffixes use these; they may also run early) -------------------------------------
  p('convert-vector-to-scf', 'any', 'lowering', VECTOR, { 'full-unroll': bool, 'target-rank': int(0, 2) }),
  p('lower-affine', 'any', 'lowering', AFFINE),
  p('convert-scf-to-cf', 'any', 'lowering', SCF),
  p('convert-math-to-llvm', 'any', 'lowering', MATH, { 'approximate-log1p': bool }),
  p('convert-math-to-libm', 'builtin.module', 'lowering', MATH),
  p('convert-math-to-funcs', 'builtin.module', 'lowering', MATH, { 'convert-ctlz': bool, 'min-width-of-fpowi-exponent': int(1, 64) }),
  p('convert-vector-to-llvm', 'any', 'lowering', VECTOR, {
    'force-32bit-vector-indices': bool,
    'use-vector-alignment': bool,
    'vector-contract-lowering': oneOf('dot', 'llvmintr', 'outerproduct', 'parallelarith'),
    'vector-transpose-lowering': oneOf('eltwise', 'llvmintr', 'shuffle1d', 'shuffle16x16'),
  }),
  p('convert-arith-to-llvm', 'any', 'lowering', ARITH, { 'index-bitwidth': int(32, 64) }),
  p('convert-index-to-llvm', 'any', 'lowering', ['index'], { 'index-bitwidth': int(32, 64) }),
  p('convert-func-to-llvm', 'builtin.module', 'lowering', ['func'], { 'index-bitwidth': int(32, 64) }),
  p('convert-cf-to-llvm', 'builtin.module', 'lowering', ['cf'], { 'index-bitwidth': int(32, 64) }),
  p('convert-ub-to-llvm', 'any', 'lowering', ['ub'], { 'index-bitwidth': int(32, 64) }),
  p('finalize-memref-to-llvm', 'builtin.module', 'lowering', MEMREF, { 'index-bitwidth': int(32, 64), 'use-aligned-alloc': bool }),
  p('convert-to-llvm', 'builtin.module', 'lowering', ANY, { dynamic: bool }),
  p('reconcile-unrealized-casts', 'any', 'lowering', ['builtin']),
  p('transform-preload-library', 'builtin.module', 'lowering', ['transform'], { 'transform-library-paths': str() }),
  p('transform-interpreter', 'builtin.module', 'lowering', ['transform']),
  p('test-vector-extract-strided-slice-lowering', 'func.func', 'lowering', VECTOR),
];

// --- semantics (DESIGN §6): which passes promise to keep the program's meaning --------------------------------
// Every test-* pass has an entry, read from its source in llvm-project's mlir/test/lib (a test asserts this); any
// other pass promises semantics unless listed. A `note` says why a pass counts, and which known bugs it shows.
const MLIR_TEST_LIB = 'llvm-project mlir/test/lib/';
const preserves = (note?: string): SemanticsPromise => (note ? { kind: 'preserves', note } : { kind: 'preserves' });

export const SEMANTICS: Readonly<Record<string, SemanticsPromise>> = {
  // Found by the fuzzer (a 30-minute campaign, reduced): with f16 emulated in f32, -65504 * x + -65504 overflowed to
  // -inf in the reference and stayed finite natively, because canonicalize had folded the truncf/extf pair between
  // the mulf and the addf.
  'arith-emulate-unsupported-floats': {
    kind: 'no-promise',
    reason:
      'it wraps each op in extf/truncf marked fastmath<contract>, which lets a later fold (canonicalize: extf(truncf(x)) to x) drop the rounding between two emulated ops, so a chain of them runs in the wider type and differs where the narrow one would round or overflow (llvm-project mlir/lib/Dialect/Arith/Transforms/EmulateUnsupportedFloats.cpp)',
  },
  // Found by the fuzzer (gen program, f32 sum): 2 ULP apart with parallel-reductions alone, on native and wasm alike.
  'affine-parallelize': {
    kind: 'unless',
    options: [
      {
        option: 'parallel-reductions',
        value: true,
        default: false,
        reason:
          'opting in turns a reduction loop into affine.parallel with a reduce, which fixes no order for combining partial results: a float sum is reassociated and may round differently, as any parallel reduction may (llvm-project mlir/lib/Dialect/Affine/Transforms/AffineParallelize.cpp)',
      },
    ],
  },
  // test-affine-data-copy's default and memref-filter modes run affineDataCopyGenerate, the utility behind
  // affine-data-copy-generate, which promises semantics. What they get wrong is known upstream: a write-only
  // region is copied out over its whole bounding box with no copy-in, so the cells the loop never wrote come back
  // as uninitialised memory (llvm/llvm-project#54994, open since 2022; fix proposed in #196977), and copies can
  // land before the memref's definition ("operand #0 does not dominate this use", #216630). Measured on
  // `gen --count 100 --seed 7`: 9 miscompiles + 1 invalid IR; every one of the 9 programs also miscompiles under
  // func.func(affine-data-copy-generate{generate-dma=false fast-mem-space=0}) (45 of the 100 do).
  'test-affine-data-copy': {
    kind: 'unless',
    note: 'default and memref-filter modes run affineDataCopyGenerate: its wrong results are llvm/llvm-project#54994 (write-only regions copied out without a copy-in) and #216630 (copies before the memref is defined)',
    options: [
      {
        option: 'for-memref-region',
        value: true,
        default: false,
        reason:
          `the test computes the region of the innermost loop's first affine.load only and hands it to generateCopyForMemRegion, which redirects every access to that memref in the nest into a buffer covering that one region, with no copy-out for a read region: stores and loads outside it are lost or out of bounds (${MLIR_TEST_LIB}Dialect/Affine/TestAffineDataCopy.cpp)`,
      },
    ],
  },
  'test-loop-fusion': {
    kind: 'unless',
    note: 'the dependence-check and slice-computation modes only emit remarks',
    options: [
      {
        option: 'test-loop-fusion-utilities',
        value: true,
        default: false,
        reason:
          `the file says it "is not meant to be a pass to perform valid fusion": it fuses every src/dst pair canFuseLoops allows (a check its comment calls "not a sufficient one") and erases the source nest without the safety checks a fusion pass makes (${MLIR_TEST_LIB}Dialect/Affine/TestLoopFusion.cpp)`,
      },
    ],
  },
  'test-loop-permutation': {
    kind: 'unless',
    options: [
      {
        option: 'check-validity',
        value: false,
        default: false,
        reason: `permuteLoops is applied to every perfect nest of the map's depth; only check-validity asks isValidLoopInterchangePermutation whether the dependences allow it (${MLIR_TEST_LIB}Dialect/Affine/TestLoopPermutation.cpp)`,
      },
    ],
  },
  'test-scf-for-utils': {
    kind: 'unless',
    note: 'without options it does nothing',
    options: [
      {
        option: 'test-replace-with-new-yields',
        value: true,
        default: false,
        reason: `replaceWithAdditionalYields with replaceInitOperandUsesInLoop=true: uses of the init operands inside the loop are rewired to new iter_args that carry arith.addf(y, y) of every yielded value, so the loop body computes with other values (${MLIR_TEST_LIB}Dialect/SCF/TestSCFUtils.cpp)`,
      },
    ],
  },
  'affine-super-vectorizer-test': preserves(
    'forward-slicing, backward-slicing, slicing, compose-maps and vector-shape-ratio only print; vectorize-affine-loop-nest vectorizes the outermost loop only after isLoopParallel holds (TestVectorizationUtils.cpp)',
  ),
  'test-math-polynomial-approximation': preserves(
    "MLIR's own polynomial approximations (populateMathPolynomialApproximationPatterns) of transcendental ops, whose results the oracle compares within its ulp tolerance as it does libm's; 0 of 100 generated programs differed",
  ),
  'test-math-algebraic-simplification': preserves(
    'populateMathAlgebraicSimplificationPatterns: powf/fpowi by constant exponents become multiplies, sqrt and rsqrt; these patterns ignore fastmath flags, so pow(-inf, 0.5) -> sqrt = NaN (libm: +inf) would be a real finding',
  ),
  'test-arith-emulate-wide-int': preserves('arith-emulate-wide-int on one function'),
  'test-affine-loop-unswitch': preserves('hoistAffineIfOp, the utility of affine loop unswitching'),
  'test-decompose-affine-ops': preserves('affine.apply decomposition by operand hoistability (decompose in Affine/Utils)'),
  'test-extract-fixed-outer-loops': preserves('extractFixedOuterLoops, an SCF utility; known bug: fixtures/backends/bugs/scf-extract-fixed-outer-loops-iter-args.mlir'),
  'test-scf-if-utils': preserves('outlineIfOp: then/else regions become private functions called in their place'),
  'test-scf-uplift-while-to-for': preserves('populateUpliftWhileToForPatterns, the scf-uplift-while-to-for rewrite'),
  'test-wrap-scf-while-loop-in-zero-trip-check': preserves('wrapWhileLoopInZeroTripCheck guards the loop with its own condition'),
  'test-loop-unrolling': preserves('loopUnrollByFactor / loopUnrollFull, the unrolling utilities of SCF and Affine'),
  'test-parallel-loop-unrolling': preserves('parallelLoopUnrollByFactors, an SCF utility'),
  'test-compose-subview': preserves('memref subview composition patterns'),
  'test-vector-to-vector-lowering': preserves('vector-to-vector lowering patterns'),
  'test-vector-transferop-opt': preserves('transferOpflowOpt: store-to-load forwarding and dead transfer_write removal'),
  'test-vector-transfer-flatten-patterns': preserves('transfer flattening patterns'),
  'test-vector-unrolling-patterns': preserves('vector unrolling to native shapes'),
  'test-vector-transfer-unrolling-patterns': preserves('transfer op unrolling'),
  'test-vector-linearize': preserves('N-D to 1-D vector linearisation'),
  'test-bit-width-constrained-vector-linearize': preserves('linearisation under a bit-width limit'),
  'test-vector-sink-patterns': preserves('sinking of elementwise ops through broadcasts/transposes'),
  'test-vector-scan-lowering': preserves('vector.scan lowering'),
  'test-vector-shuffle-lowering': preserves('vector.shuffle lowering'),
  'test-vector-gather-lowering': preserves('vector.gather lowering to conditional loads'),
  'test-vector-emulate-masked-load-store': preserves('masked load/store emulated by scf.if and scalar memory ops'),
  'test-vector-break-down-bitcast': preserves('vector.bitcast split into smaller bitcasts'),
  'test-vector-chained-reduction-folding-patterns': {
    kind: 'no-promise',
    reason:
      'populateChainedVectorReductionFoldingPatterns is documented to "change the order of reduction which may not always produce bit-identical results on some floating point inputs" (mlir/include/mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h); its ReduceRedundantZero also drops x + 0.0, wrong for x = -0.0',
  },
  'test-vector-break-down-reduction-patterns': preserves(
    'lanes are combined in order but the accumulator last (BreakDownVectorReduction), where the reference and LLVM\'s ordered fadd put it first: a float difference with an accumulator is worth raising upstream as a question of vector.reduction\'s order',
  ),
  'test-vector-reduction-to-contract-patterns': preserves('multi_reduction/broadcast/transpose folded into vector.contract'),
  'test-vector-contraction-prepare-for-mmt-lowering': preserves('vector.contract operands transposed into the MMT form'),
  'test-scalar-vector-transfer-lowering': preserves('scalar transfers become memref.load/store'),
  'test-fold-arith-extf-into-vector-contract-patterns': preserves('arith.extf folded into vector.contract, whose operands are promoted to the accumulator type anyway'),
  'test-greedy-patterns': preserves('the greedy driver with the test dialect patterns, which match no op of ours: folding only'),
  'test-single-fold': preserves('one fold per op'),
  'test-verify-uselistorder': preserves('shuffles use-list orders and checks the round trip'),
  'test-vector-extract-strided-slice-lowering': preserves('extract_strided_slice as extract/insert chains'),
};

export const PASSES: readonly PassSpec[] = CATALOG.map((s) => (SEMANTICS[s.name] ? { ...s, semantics: SEMANTICS[s.name]! } : s));

const byName = new Map(PASSES.map((s) => [s.name, s]));

export function passSpec(name: string): PassSpec | undefined {
  return byName.get(name);
}

/** Where a step goes when the pipeline does not say: op-agnostic passes run per function, like most of MLIR's. */
export function defaultNest(spec: PassSpec): readonly string[] {
  return spec.anchor === 'builtin.module' ? [] : FUNC_NEST;
}
const FUNC_NEST = ['func.func'] as const;
