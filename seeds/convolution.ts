// Convolutions and pooling over 2-D images, with stride, padding and dilation. Padded taps load at a clamped
// index and select zero (guardedLoad), so no access is out of bounds.
import { ALL_DTYPES, Kernel, memrefType } from './kernel-text.ts';
import type { V } from './kernel-text.ts';
import { choice, defineTemplate, range } from './template.ts';
import type { ParamReader, SeedTemplate } from './template.ts';

/** Output extent of a window of `ks` taps, dilation `dil`, over `size` padded by `pad` on both sides. */
export const outExtent = (size: number, ks: number, stride: number, pad: number, dil: number): number => Math.floor((size + 2 * pad - dil * (ks - 1) - 1) / stride) + 1;

const window = { h: range(3, 9, 5), w: range(3, 9, 5), ks: range(1, 3, 3), stride: range(1, 2, 2), pad: range(0, 2, 1), dil: range(1, 2, 1) };
const oh = (p: ParamReader) => outExtent(p.n('h'), p.n('ks'), p.n('stride'), p.n('pad'), p.n('dil'));
const ow = (p: ParamReader) => outExtent(p.n('w'), p.n('ks'), p.n('stride'), p.n('pad'), p.n('dil'));

/** The input coordinate of output `o`, tap `t`: o * stride + t * dil - pad. */
function tap(k: Kernel, o: V, t: V, p: ParamReader): V {
  return k.apply([o, t], `d0 * ${p.n('stride')} + d1 * ${p.n('dil')} - ${p.n('pad')}`);
}

const conv2dNchw = defineTemplate({
  name: 'conv2d_nchw',
  doc: 'out[n,f,y,x] = sum_{c,i,j} in[n,c,y*s+i*d-p,x*s+j*d-p] * w[f,c,i,j]: affine nest, iter_args reduction, zero padding',
  params: { n: range(1, 2, 1), c: range(1, 3, 2), f: range(1, 3, 2), ...window, dtype: choice(ALL_DTYPES, 'f32') },
  shapes: (p) => [[p.n('n'), p.n('c'), p.n('h'), p.n('w')], [p.n('f'), p.n('c'), p.n('ks'), p.n('ks')], [p.n('n'), p.n('f'), oh(p), ow(p)]],
  build: (p, name) => {
    const [n, c, f, h, w, ks, dt] = [p.n('n'), p.n('c'), p.n('f'), p.n('h'), p.n('w'), p.n('ks'), p.s('dtype')];
    const k = new Kernel([
      { name: 'in', type: memrefType([n, c, h, w], dt) },
      { name: 'w', type: memrefType([f, c, ks, ks], dt) },
      { name: 'out', type: memrefType([n, f, oh(p), ow(p)], dt) },
    ]);
    const [X, W, O] = k.args;
    const zero = k.c(0, dt);
    k.affineFor(0, n, (b) =>
      void k.affineFor(0, f, (o) =>
        void k.affineFor(0, oh(p), (y) =>
          void k.affineFor(0, ow(p), (x) => {
            const s = k.affineReduce([c, ks, ks], zero, ([ci, i, j], acc) => {
              const v = p.n('pad') === 0
                ? k.aload(X!, [b, ci!, y, i!, x, j!], ['d0', 'd1', `d2 * ${p.n('stride')} + d3 * ${p.n('dil')}`, `d4 * ${p.n('stride')} + d5 * ${p.n('dil')}`])
                : k.guardedLoad(X!, [b, ci!, tap(k, y, i!, p), tap(k, x, j!, p)], [2, 3], zero);
              return k.add(acc, k.mul(v, k.aload(W!, [o, ci!, i!, j!])));
            });
            k.astore(s, O!, [b, o, y, x]);
          }),
        ),
      ),
    );
    return k.text(name);
  },
});

const conv2dNhwc = defineTemplate({
  name: 'conv2d_nhwc_hwcf',
  doc: 'NHWC input, HWCF filter: scf.parallel over the output, scf.for nest with iter_args, memref.load, zero padding',
  params: { n: range(1, 2, 1), c: range(1, 3, 2), f: range(1, 3, 3), ...window, dtype: choice(ALL_DTYPES, 'i32') },
  shapes: (p) => [[p.n('n'), p.n('h'), p.n('w'), p.n('c')], [p.n('ks'), p.n('ks'), p.n('c'), p.n('f')], [p.n('n'), oh(p), ow(p), p.n('f')]],
  build: (p, name) => {
    const [n, c, f, h, w, ks, dt] = [p.n('n'), p.n('c'), p.n('f'), p.n('h'), p.n('w'), p.n('ks'), p.s('dtype')];
    const k = new Kernel([
      { name: 'in', type: memrefType([n, h, w, c], dt) },
      { name: 'w', type: memrefType([ks, ks, c, f], dt) },
      { name: 'out', type: memrefType([n, oh(p), ow(p), f], dt) },
    ]);
    const [X, W, O] = k.args;
    const zero = k.c(0, dt);
    k.scfParallel([n, oh(p), ow(p), f], ([b, y, x, o]) => {
      const [s] = k.scfFor(0, ks, 1, (i, [a0]) =>
        k.scfFor(0, ks, 1, (j, [a1]) =>
          k.scfFor(0, c, 1, (ci, [a2]) => {
            const v = k.guardedLoad(X!, [b!, tap(k, y!, i, p), tap(k, x!, j, p), ci], [1, 2], zero);
            return [k.add(a2!, k.mul(v, k.load(W!, [i, j, ci, o!])))];
          }, [a1!]),
        [a0!]),
      [zero]);
      k.store(s!, O!, [b!, y!, x!, o!]);
    });
    return k.text(name);
  },
});

const depthwise = defineTemplate({
  name: 'depthwise_conv2d_nhwc',
  doc: 'one filter per channel, NHWC: affine nest over (n, y, x, c), iter_args over the window, zero padding',
  params: { n: range(1, 2, 1), c: range(1, 4, 3), ...window, dtype: choice(ALL_DTYPES, 'f16') },
  shapes: (p) => [[p.n('n'), p.n('h'), p.n('w'), p.n('c')], [p.n('ks'), p.n('ks'), p.n('c')], [p.n('n'), oh(p), ow(p), p.n('c')]],
  build: (p, name) => {
    const [n, c, h, w, ks, dt] = [p.n('n'), p.n('c'), p.n('h'), p.n('w'), p.n('ks'), p.s('dtype')];
    const k = new Kernel([
      { name: 'in', type: memrefType([n, h, w, c], dt) },
      { name: 'w', type: memrefType([ks, ks, c], dt) },
      { name: 'out', type: memrefType([n, oh(p), ow(p), c], dt) },
    ]);
    const [X, W, O] = k.args;
    const zero = k.c(0, dt);
    k.affineFor(0, n, (b) =>
      void k.affineFor(0, oh(p), (y) =>
        void k.affineFor(0, ow(p), (x) =>
          void k.affineFor(0, c, (ci) => {
            const s = k.affineReduce([ks, ks], zero, ([i, j], acc) => k.add(acc, k.mul(k.guardedLoad(X!, [b, tap(k, y, i!, p), tap(k, x, j!, p), ci], [1, 2], zero), k.aload(W!, [i!, j!, ci]))));
            k.astore(s, O!, [b, y, x, ci]);
          }),
        ),
      ),
    );
    return k.text(name);
  },
});

const pool = { n: range(1, 2, 1), c: range(1, 3, 2), h: range(2, 10, 6), w: range(2, 10, 7), ks: range(1, 3, 2), stride: range(1, 3, 2), pad: range(0, 2, 0) };
const poolProblem = (p: ParamReader) => (p.n('pad') >= p.n('ks') ? 'padding must be smaller than the window' : undefined);
const pOh = (p: ParamReader) => outExtent(p.n('h'), p.n('ks'), p.n('stride'), p.n('pad'), 1);
const pOw = (p: ParamReader) => outExtent(p.n('w'), p.n('ks'), p.n('stride'), p.n('pad'), 1);
const poolShapes = (p: ParamReader): number[][] => [[p.n('n'), p.n('c'), p.n('h'), p.n('w')], [p.n('n'), p.n('c'), pOh(p), pOw(p)]];

/** The kernel of a pool: input N×C×H×W, output N×C×OH×OW, and the window's parameters. */
function poolOperands(p: ParamReader) {
  const [n, c, h, w, ks, s, pad, dt] = [p.n('n'), p.n('c'), p.n('h'), p.n('w'), p.n('ks'), p.n('stride'), p.n('pad'), p.s('dtype')];
  const k = new Kernel([{ name: 'in', type: memrefType([n, c, h, w], dt) }, { name: 'out', type: memrefType([n, c, pOh(p), pOw(p)], dt) }]);
  const [X, O] = k.args;
  return { k, X: X!, O: O!, n, c, ks, s, pad, dt };
}

/** Padding taps read the nearest edge element, which is in the same window when pad < ks: max ignores padding. */
const maxPool = defineTemplate({
  name: 'maxpool2d_nchw',
  doc: 'max over ks x ks windows with stride and (ignored) padding, seeded from the window\'s first tap',
  params: { ...pool, dtype: choice(ALL_DTYPES, 'f32') },
  shapes: poolShapes,
  problem: poolProblem,
  build: (p, name) => {
    const { k, X, O, n, c, ks, s, pad } = poolOperands(p);
    const at = (o: V, t: V) => k.apply([o, t], `d0 * ${s} + d1 - ${pad}`);
    k.affineFor(0, n, (b) =>
      void k.affineFor(0, c, (ci) =>
        void k.affineFor(0, pOh(p), (y) =>
          void k.affineFor(0, pOw(p), (x) => {
            const first = k.guardedLoad(X!, [b, ci, at(y, k.idx(0)), at(x, k.idx(0))], [2, 3]);
            const m = k.affineReduce([ks, ks], first, ([i, j], acc) => k.max(acc, k.guardedLoad(X!, [b, ci, at(y, i!), at(x, j!)], [2, 3])));
            k.astore(m, O!, [b, ci, y, x]);
          }),
        ),
      ),
    );
    return k.text(name);
  },
});

/** Average with count_include_pad: padding counts as zero and the divisor is always ks * ks. */
const avgPool = defineTemplate({
  name: 'avgpool2d_nchw',
  doc: 'mean over ks x ks windows (padding counted as zero, divisor ks*ks; integers divide with divsi)',
  params: { ...pool, dtype: choice(ALL_DTYPES, 'f32') },
  shapes: poolShapes,
  problem: poolProblem,
  build: (p, name) => {
    const { k, X, O, n, c, ks, s, pad, dt } = poolOperands(p);
    const zero = k.c(0, dt);
    const at = (o: V, t: V) => k.apply([o, t], `d0 * ${s} + d1 - ${pad}`);
    k.scfParallel([n, c, pOh(p), pOw(p)], ([b, ci, y, x]) => {
      const sum = k.affineReduce([ks, ks], zero, ([i, j], acc) => k.add(acc, k.guardedLoad(X!, [b!, ci!, at(y!, i!), at(x!, j!)], [2, 3], zero)));
      k.store(k.div(sum, k.c(ks * ks, dt)), O!, [b!, ci!, y!, x!]);
    });
    return k.text(name);
  },
});

export const CONVOLUTION: readonly SeedTemplate[] = [conv2dNchw, conv2dNhwc, depthwise, maxPool, avgPool];
