// Elementwise operators: NumPy-style broadcasting binary ops, ReLU, clamp, GELU (tanh or erf form, a
// transcendental: tolerance-compared through the reference's taint), leaky ReLU, and vectorised ReLU and axpy.
import { ALL_DTYPES, FLOAT_DTYPES, Kernel, isFloat, memrefType } from './kernel-text.ts';
import type { V } from './kernel-text.ts';
import { choice, defineTemplate, range } from './template.ts';
import type { ParamReader, SeedTemplate } from './template.ts';

/**
 * How B's shape relates to the output [m, n]: `none` [m, n], `row` [1, n], `col` [m, 1], `scalar` [1],
 * `vector` [n] (rank-extended, as NumPy aligns trailing dimensions).
 */
const BROADCASTS = ['none', 'row', 'col', 'scalar', 'vector'] as const;
function bShape(p: ParamReader): number[] {
  const [m, n] = [p.n('m'), p.n('n')];
  return { none: [m, n], row: [1, n], col: [m, 1], scalar: [1], vector: [n] }[p.s('broadcast') as (typeof BROADCASTS)[number]];
}
/** B's affine index expressions for output element (d0, d1). */
function bExprs(p: ParamReader): string[] {
  return { none: ['d0', 'd1'], row: ['0', 'd1'], col: ['d0', '0'], scalar: ['0'], vector: ['d1'] }[p.s('broadcast') as (typeof BROADCASTS)[number]];
}

function broadcastBinary(op: 'add' | 'mul' | 'sub', dtype: string, loops: 'affine' | 'parallel'): SeedTemplate {
  return defineTemplate({
    name: `broadcast_${op}`,
    doc: `C = A ${op === 'add' ? '+' : op === 'mul' ? '*' : '-'} broadcast(B), B of shape [m,n], [1,n], [m,1], [1] or [n]: ${loops === 'affine' ? 'affine.for with broadcasting affine maps' : 'scf.parallel with memref.load at constant-zero indices'}`,
    params: { m: range(1, 16, 4), n: range(1, 16, 6), broadcast: choice(BROADCASTS, 'row'), dtype: choice(ALL_DTYPES, dtype) },
    shapes: (p) => [[p.n('m'), p.n('n')], bShape(p), [p.n('m'), p.n('n')]],
    build: (p, name) => {
      const [m, n, dt] = [p.n('m'), p.n('n'), p.s('dtype')];
      const k = new Kernel([{ name: 'A', type: memrefType([m, n], dt) }, { name: 'B', type: memrefType(bShape(p), dt) }, { name: 'C', type: memrefType([m, n], dt) }]);
      const [A, B, C] = k.args;
      const apply = (a: V, b: V) => (op === 'add' ? k.add(a, b) : op === 'mul' ? k.mul(a, b) : k.sub(a, b));
      if (loops === 'affine') {
        k.affineFor(0, m, (i) => void k.affineFor(0, n, (j) => k.astore(apply(k.aload(A!, [i, j]), k.aload(B!, [i, j], bExprs(p))), C!, [i, j])));
      } else {
        k.scfParallel([m, n], ([i, j]) => {
          const idx = bExprs(p).map((e) => (e === 'd0' ? i! : e === 'd1' ? j! : k.idx(0)));
          k.store(apply(k.load(A!, [i!, j!]), k.load(B!, idx)), C!, [i!, j!]);
        });
      }
      return k.text(name);
    },
  });
}

const flat = { m: range(1, 16, 4), n: range(1, 16, 8) };

/** One elementwise unary op applied in place over [m, n]. */
function unary(name: string, doc: string, dtypes: readonly string[], dtype: string, f: (k: Kernel, x: V, dt: string) => V): SeedTemplate {
  return defineTemplate({
    name,
    doc,
    params: { ...flat, dtype: choice(dtypes, dtype) },
    shapes: (p) => [[p.n('m'), p.n('n')]],
    build: (p, text) => {
      const [m, n, dt] = [p.n('m'), p.n('n'), p.s('dtype')];
      const k = new Kernel([{ name: 'x', type: memrefType([m, n], dt) }]);
      const [X] = k.args;
      k.affineFor(0, m, (i) => void k.affineFor(0, n, (j) => k.astore(f(k, k.aload(X!, [i, j]), dt), X!, [i, j])));
      return k.text(text);
    },
  });
}

const relu = unary('relu', 'max(x, 0) in place (arith.maximumf / maxsi)', ALL_DTYPES, 'f32', (k, x, dt) => k.max(x, k.c(0, dt)));
/** select on a compare rather than maximumf: -0.0 and NaN take other paths than in relu. */
const reluSelect = unary('relu_select', 'x > 0 ? x : 0 via cmpf ugt / cmpi sgt and select (NaN passes through)', ALL_DTYPES, 'f16', (k, x, dt) => {
  const zero = k.c(0, dt);
  return k.select(isFloat(dt) ? k.cmpf('ugt', x, zero) : k.cmpi('sgt', x, zero), x, zero);
});
const leakyRelu = unary('leaky_relu', 'x >= 0 ? x : x * 1/8 (floats) or x / 8 (integers, divsi)', ALL_DTYPES, 'f32', (k, x, dt) => {
  const zero = k.c(0, dt);
  const neg = isFloat(dt) ? k.mul(x, k.c('1.250000e-01', dt)) : k.div(x, k.c(8, dt));
  return k.select(isFloat(dt) ? k.cmpf('oge', x, zero) : k.cmpi('sge', x, zero), x, neg);
});

const clamp = defineTemplate({
  name: 'clamp',
  doc: 'min(max(x, lo), hi) in place with constant bounds lo <= hi',
  params: { ...flat, lo: range(-4, 0, -2), hi: range(0, 4, 3), dtype: choice(ALL_DTYPES, 'i32') },
  shapes: (p) => [[p.n('m'), p.n('n')]],
  build: (p, name) => {
    const [m, n, dt] = [p.n('m'), p.n('n'), p.s('dtype')];
    const k = new Kernel([{ name: 'x', type: memrefType([m, n], dt) }]);
    const [X] = k.args;
    const [lo, hi] = [k.c(p.n('lo'), dt), k.c(p.n('hi'), dt)];
    k.scfParallel([m, n], ([i, j]) => k.store(k.min(k.max(k.load(X!, [i!, j!]), lo), hi), X!, [i!, j!]));
    return k.text(name);
  },
});

/** GELU: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) or 0.5 x (1 + erf(x / sqrt 2)). */
const gelu = defineTemplate({
  name: 'gelu',
  doc: 'GELU in place, tanh approximation or exact erf form (math.tanh / math.erf: tolerance-compared)',
  params: { ...flat, form: choice(['tanh', 'erf'], 'tanh'), dtype: choice(FLOAT_DTYPES, 'f32') },
  shapes: (p) => [[p.n('m'), p.n('n')]],
  build: (p, name) => {
    const [m, n, form, dt] = [p.n('m'), p.n('n'), p.s('form'), p.s('dtype')];
    const k = new Kernel([{ name: 'x', type: memrefType([m, n], dt) }]);
    const [X] = k.args;
    const [half, one] = [k.c('5.000000e-01', dt), k.c(1, dt)];
    k.affineFor(0, m, (i) =>
      void k.affineFor(0, n, (j) => {
        const x = k.aload(X!, [i, j]);
        const t = form === 'tanh'
          ? k.math('tanh', k.mul(k.c('7.978845e-01', dt), k.add(x, k.mul(k.c('4.471500e-02', dt), k.mul(x, k.mul(x, x))))))
          : k.math('erf', k.mul(x, k.c('7.071068e-01', dt)));
        k.astore(k.mul(k.mul(half, x), k.add(one, t)), X!, [i, j]);
      }),
    );
    return k.text(name);
  },
});

const vectorWidth = { rows: range(1, 8, 3), width: choice([2, 4, 8, 16], 8), chunks: range(1, 4, 2) };

const reluVector = defineTemplate({
  name: 'relu_vector',
  doc: 'ReLU in vectors: vector.transfer_read, arith max against a vector.broadcast zero, vector.transfer_write',
  params: { ...vectorWidth, dtype: choice(ALL_DTYPES, 'f32') },
  shapes: (p) => [[p.n('rows'), p.n('width') * p.n('chunks')]],
  build: (p, name) => {
    const [r, w, dt] = [p.n('rows'), p.n('width'), p.s('dtype')];
    const k = new Kernel([{ name: 'x', type: memrefType([r, w * p.n('chunks')], dt) }]);
    const [X] = k.args;
    const pad = k.c(0, dt);
    const zeros = k.vbroadcast(pad, w);
    k.affineFor(0, r, (i) => void k.affineFor(0, w * p.n('chunks'), (j) => k.vwrite(k.max(k.vread(X!, [i, j], w, pad), zeros), X!, [i, j]), { step: w }));
    return k.text(name);
  },
});

const axpyVector = defineTemplate({
  name: 'axpy_vector_fma',
  doc: 'y = a[0] * x + y with vector.fma on a broadcast scalar (floats; fused, single rounding)',
  params: { ...vectorWidth, dtype: choice(FLOAT_DTYPES, 'f64') },
  shapes: (p) => [[1], [p.n('rows'), p.n('width') * p.n('chunks')], [p.n('rows'), p.n('width') * p.n('chunks')]],
  build: (p, name) => {
    const [r, w, dt] = [p.n('rows'), p.n('width'), p.s('dtype')];
    const c = w * p.n('chunks');
    const k = new Kernel([{ name: 'a', type: memrefType([1], dt) }, { name: 'x', type: memrefType([r, c], dt) }, { name: 'y', type: memrefType([r, c], dt) }]);
    const [Aa, X, Y] = k.args;
    const pad = k.c(0, dt);
    const av = k.vbroadcast(k.load(Aa!, [k.idx(0)]), w);
    k.scfFor(0, r, 1, (i) => void k.scfFor(0, c, w, (j) => k.vwrite(k.vfma(av, k.vread(X!, [i, j], w, pad), k.vread(Y!, [i, j], w, pad)), Y!, [i, j])));
    return k.text(name);
  },
});

export const ELEMENTWISE: readonly SeedTemplate[] = [
  broadcastBinary('add', 'f32', 'affine'),
  broadcastBinary('mul', 'i32', 'affine'),
  broadcastBinary('sub', 'f16', 'parallel'),
  relu,
  reluSelect,
  leakyRelu,
  clamp,
  gelu,
  reluVector,
  axpyVector,
];
