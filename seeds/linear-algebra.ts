// Matrix products: matmul in four loop styles, batched matmul, matrix-vector.
import { ALL_DTYPES, FLOAT_DTYPES, Kernel, memrefType } from './kernel-text.ts';
import { choice, defineTemplate, range } from './template.ts';
import type { ParamReader, SeedTemplate } from './template.ts';

const mnk = { m: range(1, 12, 4), n: range(1, 12, 5), k: range(1, 12, 3) };

const matmulShapes = (p: ParamReader): number[][] => [[p.n('m'), p.n('k')], [p.n('k'), p.n('n')], [p.n('m'), p.n('n')]];

/** The kernel of C = A x B (A: m×k, B: k×n, C: m×n) for the template's m, n, k and dtype. */
function matmulOperands(p: ParamReader) {
  const [m, n, kk, dt] = [p.n('m'), p.n('n'), p.n('k'), p.s('dtype')];
  const k = new Kernel([{ name: 'A', type: memrefType([m, kk], dt) }, { name: 'B', type: memrefType([kk, n], dt) }, { name: 'C', type: memrefType([m, n], dt) }]);
  const [A, B, C] = k.args;
  return { k, A: A!, B: B!, C: C!, m, n, kk, dt };
}

/** C[i,j] = C[i,j] + sum_k A[i,k] * B[k,j], accumulating into C's own contents (C is an input too). */
const matmul = defineTemplate({
  name: 'matmul',
  doc: 'C += A x B with affine.for loops and affine.load/store on C in the innermost loop',
  params: { ...mnk, dtype: choice(ALL_DTYPES, 'f32') },
  shapes: matmulShapes,
  build: (p, name) => {
    const { k, A, B, C, m, n, kk } = matmulOperands(p);
    k.affineFor(0, m, (i) => {
      k.affineFor(0, n, (j) => {
        k.affineFor(0, kk, (r) => {
          const prod = k.mul(k.aload(A!, [i, r]), k.aload(B!, [r, j]));
          k.astore(k.add(k.aload(C!, [i, j]), prod), C!, [i, j]);
        });
      });
    });
    return k.text(name);
  },
});

/** C[i,j] = sum_k A[i,k] * B[k,j] with the sum carried in iter_args (an affine reduction loop). */
const matmulIter = defineTemplate({
  name: 'matmul_iter_args',
  doc: 'C = A x B, the dot product carried by affine.for iter_args from zero',
  params: { ...mnk, dtype: choice(ALL_DTYPES, 'i32') },
  shapes: matmulShapes,
  build: (p, name) => {
    const { k, A, B, C, m, n, kk, dt } = matmulOperands(p);
    k.affineFor(0, m, (i) => {
      k.affineFor(0, n, (j) => {
        const [s] = k.affineFor(0, kk, (r, [acc]) => [k.add(acc!, k.mul(k.aload(A!, [i, r]), k.aload(B!, [r, j])))], { inits: [k.c(0, dt)] });
        k.astore(s!, C!, [i, j]);
      });
    });
    return k.text(name);
  },
});

/** scf.parallel over the output, one element per iteration, the dot product in an scf.for. */
const matmulParallel = defineTemplate({
  name: 'matmul_scf_parallel',
  doc: 'C = A x B: scf.parallel over (i, j), scf.for with iter_args over k, memref.load/store',
  params: { ...mnk, dtype: choice(ALL_DTYPES, 'f16') },
  shapes: matmulShapes,
  build: (p, name) => {
    const { k, A, B, C, m, n, kk, dt } = matmulOperands(p);
    k.scfParallel([m, n], ([i, j]) => {
      const [s] = k.scfFor(0, kk, 1, (r, [acc]) => [k.add(acc!, k.mul(k.load(A!, [i!, r]), k.load(B!, [r, j!])))], [k.c(0, dt)]);
      k.store(s!, C!, [i!, j!]);
    });
    return k.text(name);
  },
});

/** Row i of C in vectors of `width`: C[i, j:j+w] += A[i,k] * B[k, j:j+w] with vector.fma (floats). */
const matmulVector = defineTemplate({
  name: 'matmul_vector_fma',
  doc: 'C += A x B: vector.transfer_read of B and C rows, vector.broadcast of A[i,k], vector.fma, transfer_write',
  params: { m: range(1, 8, 3), k: range(1, 8, 4), width: choice([2, 4, 8], 4), chunks: range(1, 3, 2), dtype: choice(FLOAT_DTYPES, 'f32') },
  shapes: (p) => [[p.n('m'), p.n('k')], [p.n('k'), p.n('width') * p.n('chunks')], [p.n('m'), p.n('width') * p.n('chunks')]],
  build: (p, name) => {
    const [m, kk, w, dt] = [p.n('m'), p.n('k'), p.n('width'), p.s('dtype')];
    const n = w * p.n('chunks');
    const k = new Kernel([{ name: 'A', type: memrefType([m, kk], dt) }, { name: 'B', type: memrefType([kk, n], dt) }, { name: 'C', type: memrefType([m, n], dt) }]);
    const [A, B, C] = k.args;
    const pad = k.c(0, dt);
    k.affineFor(0, m, (i) => {
      k.scfFor(0, n, w, (j) => {
        const [acc] = k.scfFor(0, kk, 1, (r, [a]) => [k.vfma(k.vbroadcast(k.load(A!, [i, r]), w), k.vread(B!, [r, j], w, pad), a!)], [k.vread(C!, [i, j], w, pad)]);
        k.vwrite(acc!, C!, [i, j]);
      });
    });
    return k.text(name);
  },
});

const batchMatmul = defineTemplate({
  name: 'batch_matmul',
  doc: 'C[b] = A[b] x B[b] (or with B shared across the batch): affine loops, iter_args reduction',
  params: { b: range(1, 4, 2), m: range(1, 8, 3), n: range(1, 8, 4), k: range(1, 8, 5), shared_b: choice([0, 1], 0), dtype: choice(ALL_DTYPES, 'f32') },
  shapes: (p) => [[p.n('b'), p.n('m'), p.n('k')], p.n('shared_b') ? [p.n('k'), p.n('n')] : [p.n('b'), p.n('k'), p.n('n')], [p.n('b'), p.n('m'), p.n('n')]],
  build: (p, name) => {
    const [bb, m, n, kk, shared, dt] = [p.n('b'), p.n('m'), p.n('n'), p.n('k'), p.n('shared_b'), p.s('dtype')];
    const k = new Kernel([
      { name: 'A', type: memrefType([bb, m, kk], dt) },
      { name: 'B', type: memrefType(shared ? [kk, n] : [bb, kk, n], dt) },
      { name: 'C', type: memrefType([bb, m, n], dt) },
    ]);
    const [A, B, C] = k.args;
    k.affineFor(0, bb, (b) => {
      k.affineFor(0, m, (i) => {
        k.affineFor(0, n, (j) => {
          const [s] = k.affineFor(0, kk, (r, [acc]) => [k.add(acc!, k.mul(k.aload(A!, [b, i, r]), shared ? k.aload(B!, [r, j]) : k.aload(B!, [b, r, j])))], { inits: [k.c(0, dt)] });
          k.astore(s!, C!, [b, i, j]);
        });
      });
    });
    return k.text(name);
  },
});

const matvec = defineTemplate({
  name: 'matvec',
  doc: 'y = A x + y with an scf.for reduction seeded from y, optionally transposed A',
  params: { m: range(1, 16, 6), n: range(1, 16, 5), transposed: choice([0, 1], 0), dtype: choice(ALL_DTYPES, 'i64') },
  shapes: (p) => [[p.n('m'), p.n('n')], [p.n('n')], [p.n('m')]],
  build: (p, name) => {
    const [m, n, tr, dt] = [p.n('m'), p.n('n'), p.n('transposed'), p.s('dtype')];
    const k = new Kernel([{ name: 'A', type: memrefType(tr ? [n, m] : [m, n], dt) }, { name: 'x', type: memrefType([n], dt) }, { name: 'y', type: memrefType([m], dt) }]);
    const [A, x, y] = k.args;
    k.scfFor(0, m, 1, (i) => {
      const [s] = k.scfFor(0, n, 1, (j, [acc]) => [k.add(acc!, k.mul(k.load(A!, tr ? [j, i] : [i, j]), k.load(x!, [j])))], [k.load(y!, [i])]);
      k.store(s!, y!, [i]);
    });
    return k.text(name);
  },
});

export const LINEAR_ALGEBRA: readonly SeedTemplate[] = [matmul, matmulIter, matmulParallel, matmulVector, batchMatmul, matvec];
