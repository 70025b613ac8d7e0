// Reductions of a 3-D tensor along one axis (sum, max, mean, argmax), a vectorised row sum, and a prefix sum.
import { ALL_DTYPES, Kernel, isFloat, memrefType } from './kernel-text.ts';
import type { V } from './kernel-text.ts';
import { choice, defineTemplate, range } from './template.ts';
import type { ParamReader, SeedTemplate } from './template.ts';

const dims3 = { d0: range(1, 6, 2), d1: range(1, 6, 3), d2: range(1, 8, 4), axis: range(0, 2, 1) };
const inShape = (p: ParamReader) => [p.n('d0'), p.n('d1'), p.n('d2')];
const outShape = (p: ParamReader) => inShape(p).filter((_, d) => d !== p.n('axis'));
/** The input index: the output's loop variables with the reduced one put back at `axis`. */
const withAxis = (outer: readonly V[], r: V, axis: number): V[] => [...outer.slice(0, axis), r, ...outer.slice(axis)];

type Combine = (k: Kernel, acc: V, x: V) => V;

function axisReduction(name: string, doc: string, dtype: string, kind: 'sum' | 'max' | 'mean', loops: 'affine' | 'parallel'): SeedTemplate {
  return defineTemplate({
    name,
    doc,
    params: { ...dims3, dtype: choice(ALL_DTYPES, dtype) },
    shapes: (p) => [inShape(p), outShape(p)],
    build: (p, text) => {
      const [axis, dt] = [p.n('axis'), p.s('dtype')];
      const n = inShape(p)[axis]!;
      const k = new Kernel([{ name: 'in', type: memrefType(inShape(p), dt) }, { name: 'out', type: memrefType(outShape(p), dt) }]);
      const [X, O] = k.args;
      const combine: Combine = kind === 'max' ? (kk, a, x) => kk.max(a, x) : (kk, a, x) => kk.add(a, x);
      const body = (outer: V[]) => {
        const init = kind === 'max' ? (loops === 'affine' ? k.aload(X!, withAxis(outer, k.idx(0), axis)) : k.load(X!, withAxis(outer, k.idx(0), axis))) : k.c(0, dt);
        const lb = kind === 'max' ? 1 : 0;
        let r: V;
        if (loops === 'affine') {
          r = k.affineFor(lb, n, (i, [a]) => [combine(k, a!, k.aload(X!, withAxis(outer, i, axis)))], { inits: [init] })[0]!;
          if (kind === 'mean') r = k.div(r, k.c(n, dt));
          k.astore(r, O!, outer);
        } else {
          r = k.scfFor(lb, n, 1, (i, [a]) => [combine(k, a!, k.load(X!, withAxis(outer, i, axis)))], [init])[0]!;
          if (kind === 'mean') r = k.div(r, k.c(n, dt));
          k.store(r, O!, outer);
        }
      };
      const [o0, o1] = outShape(p) as [number, number];
      if (loops === 'affine') k.affineFor(0, o0, (i) => void k.affineFor(0, o1, (j) => body([i, j])));
      else k.scfParallel([o0, o1], body);
      return k.text(text);
    },
  });
}

const reduceSum = axisReduction('reduce_sum', 'sum of a 3-D tensor along `axis` into a 2-D one: affine.for iter_args', 'f32', 'sum', 'affine');
const reduceMax = axisReduction('reduce_max', 'max along `axis` (arith.maximumf / maxsi), seeded from the first element: scf.parallel + scf.for', 'i32', 'max', 'parallel');
const reduceMean = axisReduction('reduce_mean', 'mean along `axis`: sum then divf (or divsi) by the extent', 'f32', 'mean', 'affine');

const argmax = defineTemplate({
  name: 'argmax',
  doc: 'index of the first maximum along the last axis (ties keep the first), as an integer: scf.for with two iter_args',
  params: { rows: range(1, 8, 4), cols: range(1, 16, 9), dtype: choice(ALL_DTYPES, 'f32'), index_type: choice(['i32', 'i64'], 'i32') },
  shapes: (p) => [[p.n('rows'), p.n('cols')], [p.n('rows')]],
  build: (p, name) => {
    const [r, c, dt, it] = [p.n('rows'), p.n('cols'), p.s('dtype'), p.s('index_type')];
    const k = new Kernel([{ name: 'x', type: memrefType([r, c], dt) }, { name: 'idx', type: memrefType([r], it) }]);
    const [X, I] = k.args;
    k.scfFor(0, r, 1, (i) => {
      const [, best] = k.scfFor(1, c, 1, (j, [m, b]) => {
        const v = k.load(X!, [i, j]);
        const gt = isFloat(dt) ? k.cmpf('ogt', v, m!) : k.cmpi('sgt', v, m!);
        return [k.select(gt, v, m!), k.select(gt, j, b!)];
      }, [k.load(X!, [i, k.idx(0)]), k.idx(0)]);
      k.store(k.cast(best!, it), I!, [i]);
    });
    return k.text(name);
  },
});

const rowSumVector = defineTemplate({
  name: 'row_sum_vector',
  doc: 'per-row sum (or max) with vector.transfer_read and vector.reduction carrying an accumulator',
  params: { rows: range(1, 8, 3), width: choice([2, 4, 8, 16], 4), chunks: range(1, 4, 3), kind: choice(['add', 'max', 'mul'], 'add'), dtype: choice(ALL_DTYPES, 'f32') },
  shapes: (p) => [[p.n('rows'), p.n('width') * p.n('chunks')], [p.n('rows')]],
  build: (p, name) => {
    const [r, w, kind, dt] = [p.n('rows'), p.n('width'), p.s('kind'), p.s('dtype')];
    const c = w * p.n('chunks');
    const k = new Kernel([{ name: 'x', type: memrefType([r, c], dt) }, { name: 'out', type: memrefType([r], dt) }]);
    const [X, O] = k.args;
    const pad = k.c(0, dt);
    const vk = kind === 'max' ? (isFloat(dt) ? 'maximumf' : 'maxsi') : kind;
    k.affineFor(0, r, (i) => {
      const init = kind === 'add' ? pad : kind === 'mul' ? k.c(1, dt) : k.load(X!, [i, k.idx(0)]);
      const [s] = k.scfFor(0, c, w, (j, [acc]) => [k.vreduce(vk, k.vread(X!, [i, j], w, pad), acc)], [init]);
      k.store(s!, O!, [i]);
    });
    return k.text(name);
  },
});

const cumsum = defineTemplate({
  name: 'cumsum',
  doc: 'inclusive prefix sum along the last axis, in place, the running total in affine.for iter_args',
  params: { rows: range(1, 8, 3), cols: range(1, 32, 10), reverse: choice([0, 1], 0), dtype: choice(ALL_DTYPES, 'i32') },
  shapes: (p) => [[p.n('rows'), p.n('cols')]],
  build: (p, name) => {
    const [r, c, rev, dt] = [p.n('rows'), p.n('cols'), p.n('reverse'), p.s('dtype')];
    const k = new Kernel([{ name: 'x', type: memrefType([r, c], dt) }]);
    const [X] = k.args;
    const col = rev ? [`${c - 1} - d1`] : undefined;
    k.affineFor(0, r, (i) => {
      k.affineFor(0, c, (j, [acc]) => {
        const s = k.add(acc!, k.aload(X!, [i, j], col && ['d0', col[0]!]));
        k.astore(s, X!, [i, j], col && ['d0', col[0]!]);
        return [s];
      }, { inits: [k.c(0, dt)] });
    });
    return k.text(name);
  },
});

export const REDUCTION: readonly SeedTemplate[] = [reduceSum, reduceMax, reduceMean, argmax, rowSumVector, cumsum];
