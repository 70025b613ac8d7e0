// Row-wise softmax, layer norm, batch norm (inference). Softmax's exp is a transcendental: the reference taints
// what depends on it and the oracle compares those elements with a ULP/relative tolerance (oracles/compare.ts).
// Layer and batch norm use only IEEE-exact ops (sqrt, div, dyadic epsilon) and are compared bit for bit.
import { FLOAT_DTYPES, Kernel, memrefType } from './kernel-text.ts';
import { choice, defineTemplate, range } from './template.ts';
import type { SeedTemplate } from './template.ts';

const rows = { rows: range(1, 8, 3), cols: range(1, 16, 8) };

const softmax = defineTemplate({
  name: 'softmax',
  doc: 'x[r,:] = exp(x - max) / sum(exp(x - max)) in place: affine reductions for max and sum, math.exp',
  params: { ...rows, dtype: choice(FLOAT_DTYPES, 'f32') },
  shapes: (p) => [[p.n('rows'), p.n('cols')]],
  build: (p, name) => {
    const [r, c, dt] = [p.n('rows'), p.n('cols'), p.s('dtype')];
    const k = new Kernel([{ name: 'x', type: memrefType([r, c], dt) }]);
    const [X] = k.args;
    k.affineFor(0, r, (i) => {
      const m = k.affineFor(1, c, (j, [acc]) => [k.max(acc!, k.aload(X!, [i, j]))], { inits: [k.aload(X!, [i, k.idx(0)])] })[0]!;
      const s = k.affineFor(0, c, (j, [acc]) => {
        const e = k.math('exp', k.sub(k.aload(X!, [i, j]), m));
        k.astore(e, X!, [i, j]);
        return [k.add(acc!, e)];
      }, { inits: [k.c(0, dt)] })[0]!;
      k.affineFor(0, c, (j) => k.astore(k.div(k.aload(X!, [i, j]), s), X!, [i, j]));
    });
    return k.text(name);
  },
});

/** Vectorised softmax over rows of `width * chunks`: vector max/add reductions and a vector exp. */
const softmaxVector = defineTemplate({
  name: 'softmax_vector',
  doc: 'softmax with vector.transfer_read/write, vector.reduction <maximumf>/<add>, math.exp on vectors, divf by a broadcast',
  params: { rows: range(1, 6, 2), width: choice([2, 4, 8], 4), chunks: range(1, 3, 2), dtype: choice(FLOAT_DTYPES, 'f32') },
  shapes: (p) => [[p.n('rows'), p.n('width') * p.n('chunks')], [p.n('rows')]],
  build: (p, name) => {
    const [r, w, dt] = [p.n('rows'), p.n('width'), p.s('dtype')];
    const c = w * p.n('chunks');
    const k = new Kernel([{ name: 'x', type: memrefType([r, c], dt) }, { name: 'sums', type: memrefType([r], dt) }]);
    const [X, S] = k.args;
    const pad = k.c(0, dt);
    k.scfFor(0, r, 1, (i) => {
      const m = k.scfFor(w, c, w, (j, [acc]) => [k.vreduce('maximumf', k.vread(X!, [i, j], w, pad), acc)], [k.vreduce('maximumf', k.vread(X!, [i, k.idx(0)], w, pad))])[0]!;
      const mv = k.vbroadcast(m, w);
      const s = k.scfFor(0, c, w, (j, [acc]) => {
        const e = k.math('exp', k.sub(k.vread(X!, [i, j], w, pad), mv));
        k.vwrite(e, X!, [i, j]);
        return [k.vreduce('add', e, acc)];
      }, [pad])[0]!;
      k.store(s, S!, [i]);
      const sv = k.vbroadcast(s, w);
      k.scfFor(0, c, w, (j) => k.vwrite(k.div(k.vread(X!, [i, j], w, pad), sv), X!, [i, j]));
    });
    return k.text(name);
  },
});

const layerNorm = defineTemplate({
  name: 'layernorm',
  doc: 'y = (x - mean) / sqrt(var + eps) * gamma + beta per row, eps = 1/16; mean and var by affine iter_args',
  params: { ...rows, dtype: choice(FLOAT_DTYPES, 'f32') },
  shapes: (p) => [[p.n('rows'), p.n('cols')], [p.n('cols')], [p.n('cols')], [p.n('rows'), p.n('cols')]],
  build: (p, name) => {
    const [r, c, dt] = [p.n('rows'), p.n('cols'), p.s('dtype')];
    const k = new Kernel([
      { name: 'x', type: memrefType([r, c], dt) },
      { name: 'gamma', type: memrefType([c], dt) },
      { name: 'beta', type: memrefType([c], dt) },
      { name: 'y', type: memrefType([r, c], dt) },
    ]);
    const [X, G, B, Y] = k.args;
    const zero = k.c(0, dt);
    const nf = k.c(c, dt);
    k.affineFor(0, r, (i) => {
      const mean = k.div(k.affineFor(0, c, (j, [a]) => [k.add(a!, k.aload(X!, [i, j]))], { inits: [zero] })[0]!, nf);
      const sq = k.affineFor(0, c, (j, [a]) => {
        const d = k.sub(k.aload(X!, [i, j]), mean);
        return [k.add(a!, k.mul(d, d))];
      }, { inits: [zero] })[0]!;
      const denom = k.math('sqrt', k.add(k.div(sq, nf), k.c('6.250000e-02', dt)));
      k.affineFor(0, c, (j) => {
        const norm = k.div(k.sub(k.aload(X!, [i, j]), mean), denom);
        k.astore(k.add(k.mul(norm, k.aload(G!, [j])), k.aload(B!, [j])), Y!, [i, j]);
      });
    });
    return k.text(name);
  },
});

const batchNorm = defineTemplate({
  name: 'batchnorm_inference',
  doc: 'NCHW, per channel: (x - mean[c]) / sqrt(|var[c]| + eps) * scale[c] + bias[c], in place; scf.parallel over (n, c, h, w)',
  params: { n: range(1, 2, 1), c: range(1, 4, 3), h: range(1, 6, 4), w: range(1, 6, 4), dtype: choice(FLOAT_DTYPES, 'f32') },
  shapes: (p) => [[p.n('n'), p.n('c'), p.n('h'), p.n('w')], [p.n('c')]],
  build: (p, name) => {
    const [n, c, h, w, dt] = [p.n('n'), p.n('c'), p.n('h'), p.n('w'), p.s('dtype')];
    const ch = memrefType([c], dt);
    const k = new Kernel([
      { name: 'x', type: memrefType([n, c, h, w], dt) },
      { name: 'mean', type: ch },
      { name: 'var', type: ch },
      { name: 'scale', type: ch },
      { name: 'bias', type: ch },
    ]);
    const [X, M, Var, Sc, Bi] = k.args;
    k.scfParallel([n, c, h, w], ([b, ci, y, x]) => {
      const v = k.load(X!, [b!, ci!, y!, x!]);
      const sd = k.math('sqrt', k.add(k.math('absf', k.load(Var!, [ci!])), k.c('3.125000e-02', dt)));
      const norm = k.div(k.sub(v, k.load(M!, [ci!])), sd);
      k.store(k.add(k.mul(norm, k.load(Sc!, [ci!])), k.load(Bi!, [ci!])), X!, [b!, ci!, y!, x!]);
    });
    return k.text(name);
  },
});

export const NORMALIZATION: readonly SeedTemplate[] = [softmax, softmaxVector, layerNorm, batchNorm];
