// The fixed lowering suffix each backend appends to the mutable pipeline (DESIGN §6).
import { fileURLToPath } from 'node:url';
import type { Pipeline } from './pipeline.ts';
import { step } from './pipeline.ts';

const mod: readonly string[] = [];
const fn: readonly string[] = ['func.func'];

/**
 * Math ops no conversion to LLVM takes: clampf becomes min/max; ipowi becomes a generated function (after
 * convert-math-to-llvm, so fpowi still becomes llvm.powi). convert-math-to-libm takes the rest, f32/f64 only, hence
 * math-extend-to-supported-types before it.
 */
const mathLowering: Pipeline = [
  step('math-expand-ops', { ops: 'clampf' }, fn),
  step('convert-math-to-llvm', {}, mod),
  step('convert-math-to-funcs', {}, mod),
  step('convert-math-to-libm', {}, mod),
];

/**
 * MLIR's usual CPU lowering, as in upstream's mlir-runner integration tests (test-lower-to-llvm without its
 * canonicalize/cse, which would be optimisation outside the pipeline under test).
 */
export const NATIVE_SUFFIX: Pipeline = [
  // convert-vector-to-llvm leaves vector.multi_reduction alone in MLIR 22; it needs its own lowering first.
  step('lower-vector-multi-reduction', {}, fn),
  // vector.mask: its masked op takes the mask as an operand (nothing else lowers vector.mask).
  step('lower-vector-mask', {}, fn),
  step('convert-vector-to-scf', {}, fn),
  step('lower-affine', {}, mod),
  step('convert-scf-to-cf', {}, mod),
  step('math-extend-to-supported-types', {}, fn),
  step('convert-vector-to-llvm', {}, mod),
  ...mathLowering,
  step('expand-strided-metadata', {}, mod),
  // expand-strided-metadata emits affine.apply for offsets.
  step('lower-affine', {}, mod),
  step('finalize-memref-to-llvm', {}, mod),
  step('convert-arith-to-llvm', {}, mod),
  step('convert-index-to-llvm', {}, mod),
  step('convert-cf-to-llvm', {}, mod),
  step('convert-func-to-llvm', {}, mod),
  step('convert-ub-to-llvm', {}, mod),
  step('reconcile-unrealized-casts', {}, mod),
];

export const WASM_VECTOR_LOWERING = fileURLToPath(new URL('./wasm-vector-lowering.mlir', import.meta.url));

/**
 * index is 32-bit on wasm32. Per-pass `index-bitwidth=32` cannot do it: convert-vector-to-llvm has no such option
 * and ignores the data layout, leaving vector<Nxindex> ops and memref descriptors half-converted. So the module gets
 * a DLTI spec with index = 32 (WASM_INDEX_DLTI) and everything is converted by convert-to-llvm{dynamic=true}, which
 * builds its type converter from that data layout; the vector rewrites convert-vector-to-llvm would have applied
 * first come from a transform script (wasm-vector-lowering.mlir) and the strided-slice test pass. A late
 * convert-vector-to-llvm then takes what only it can lower (vector.step, insert_strided_slice); what it leaves in
 * arith (step's constant) goes through convert-to-llvm once more, with the 32-bit index again.
 * llc's wasm32 backend cannot select fp_to_bf16 (fixtures/backends/bugs/llc-wasm32-fptrunc-bf16.ll), so bf16
 * arithmetic is widened to f32 and the remaining bf16 extf/truncf become integer code before LLVM sees them.
 */
export const WASM_SUFFIX: Pipeline = [
  step('lower-vector-mask', {}, fn),
  step('convert-vector-to-scf', {}, fn),
  step('transform-preload-library', { 'transform-library-paths': WASM_VECTOR_LOWERING }, mod),
  step('transform-interpreter', {}, mod),
  step('test-vector-extract-strided-slice-lowering', {}, fn),
  step('lower-affine', {}, mod),
  step('convert-scf-to-cf', {}, mod),
  step('math-extend-to-supported-types', {}, fn),
  step('arith-emulate-unsupported-floats', { 'source-types': 'bf16', 'target-type': 'f32' }, fn),
  step('arith-expand', { 'include-bf16': true }, fn),
  ...mathLowering,
  step('expand-strided-metadata', {}, mod),
  step('lower-affine', {}, mod),
  step('convert-to-llvm', { dynamic: true }, mod),
  step('convert-vector-to-llvm', {}, mod),
  step('convert-to-llvm', { dynamic: true }, mod),
  step('reconcile-unrealized-casts', {}, mod),
];

/** The module attribute that makes convert-to-llvm{dynamic=true} lower `index` to i32 for wasm32. */
export const WASM_INDEX_DLTI = 'dlti.dl_spec = #dlti.dl_spec<index = 32 : i64>';
