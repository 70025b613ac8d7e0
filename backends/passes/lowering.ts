// The fixed lowering suffix each backend appends to the mutable pipeline (DESIGN §6).
import type { Pipeline } from './pipeline.ts';
import { step } from './pipeline.ts';

/**
 * Shared by both CPU backends. convert-to-llvm{dynamic=true} builds its type converter from the module's data
 * layout, which is how WASM gets a 32-bit index everywhere: convert-vector-to-llvm has no index-bitwidth option
 * and ignores DLTI, so the per-pass `index-bitwidth=32` route leaves vector<Nxindex> ops half-converted.
 * math-extend-to-supported-types first, because convert-math-to-libm only knows f32/f64.
 */
function cpuSuffix(extra: Pipeline): Pipeline {
  return [
    step('convert-vector-to-scf', {}, 'func.func'),
    step('lower-affine', {}, 'builtin.module'),
    step('convert-scf-to-cf', {}, 'builtin.module'),
    step('math-extend-to-supported-types', {}, 'func.func'),
    ...extra,
    step('convert-math-to-llvm', {}, 'builtin.module'),
    step('convert-math-to-libm', {}, 'builtin.module'),
    step('expand-strided-metadata', {}, 'builtin.module'),
    // expand-strided-metadata emits affine.apply for offsets.
    step('lower-affine', {}, 'builtin.module'),
    step('convert-to-llvm', { dynamic: true }, 'builtin.module'),
    step('reconcile-unrealized-casts', {}, 'builtin.module'),
  ];
}

export const NATIVE_SUFFIX: Pipeline = cpuSuffix([]);

/**
 * llc's wasm32 backend cannot select fp_to_bf16 (fixtures/backends/bugs/llc-wasm32-fptrunc-bf16.ll), so bf16
 * arithmetic is widened to f32 and the remaining bf16 extf/truncf become integer code before LLVM sees them.
 */
export const WASM_SUFFIX: Pipeline = cpuSuffix([
  step('arith-emulate-unsupported-floats', { 'source-types': 'bf16', 'target-type': 'f32' }, 'func.func'),
  step('arith-expand', { 'include-bf16': true }, 'func.func'),
]);

/** The module attribute that makes convert-to-llvm{dynamic=true} lower `index` to i32 for wasm32. */
export const WASM_INDEX_DLTI = 'dlti.dl_spec = #dlti.dl_spec<index = 32 : i64>';
