// Operators that move data without arithmetic: transpose and 3-D permutation, gather with clamped indices,
// concatenation, padding (constant, edge) and a strided slice. Integer dtypes compare exactly; every dtype works.
import { ALL_DTYPES, Kernel, memrefType } from './kernel-text.ts';
import type { V } from './kernel-text.ts';
import { choice, defineTemplate, range } from './template.ts';
import type { ParamReader, SeedTemplate } from './template.ts';

const transpose2d = defineTemplate({
  name: 'transpose2d',
  doc: 'out[j,i] = in[i,j] with affine loops in output order (loads strided)',
  params: { m: range(1, 16, 5), n: range(1, 16, 7), dtype: choice(ALL_DTYPES, 'f32') },
  shapes: (p) => [[p.n('m'), p.n('n')], [p.n('n'), p.n('m')]],
  build: (p, name) => {
    const [m, n, dt] = [p.n('m'), p.n('n'), p.s('dtype')];
    const k = new Kernel([{ name: 'in', type: memrefType([m, n], dt) }, { name: 'out', type: memrefType([n, m], dt) }]);
    const [X, O] = k.args;
    k.affineFor(0, n, (j) => void k.affineFor(0, m, (i) => k.astore(k.aload(X!, [j, i], ['d1', 'd0']), O!, [j, i])));
    return k.text(name);
  },
});

const PERMS = ['021', '102', '120', '201', '210'] as const;
const permuted = (p: ParamReader) => {
  const s = [p.n('d0'), p.n('d1'), p.n('d2')];
  return [...p.s('perm')].map((c) => s[Number(c)]!);
};

/** out[i0,i1,i2] = in[...] where out dim k is in dim perm[k]: scf.parallel, one element per iteration. */
const permute3d = defineTemplate({
  name: 'permute3d',
  doc: 'transpose of a 3-D tensor by a permutation (perm=120: out[a,b,c] = in[c,a,b]): scf.parallel',
  params: { d0: range(1, 6, 2), d1: range(1, 6, 3), d2: range(1, 6, 4), perm: choice(PERMS, '120'), dtype: choice(ALL_DTYPES, 'i16') },
  shapes: (p) => [[p.n('d0'), p.n('d1'), p.n('d2')], permuted(p)],
  build: (p, name) => {
    const dt = p.s('dtype');
    const perm = [...p.s('perm')].map(Number);
    const k = new Kernel([{ name: 'in', type: memrefType([p.n('d0'), p.n('d1'), p.n('d2')], dt) }, { name: 'out', type: memrefType(permuted(p), dt) }]);
    const [X, O] = k.args;
    k.scfParallel(permuted(p), (ivs) => {
      const src: V[] = [];
      perm.forEach((d, k2) => (src[d] = ivs[k2]!));
      k.store(k.load(X!, src), O!, ivs);
    });
    return k.text(name);
  },
});

/** out[i, :] = data[clamp(idx[i], 0, n-1), :] (axis 0) or out[:, i] = data[:, clamp(idx[i])] (axis 1). */
const gather = defineTemplate({
  name: 'gather',
  doc: 'gather rows (axis 0) or columns (axis 1) by an integer index buffer, indices clamped into bounds with maxsi/minsi',
  params: { rows: range(1, 10, 6), cols: range(1, 10, 4), count: range(1, 12, 5), axis: range(0, 1, 0), index_type: choice(['i32', 'i64', 'i8'], 'i32'), dtype: choice(ALL_DTYPES, 'f32') },
  shapes: (p) => [[p.n('rows'), p.n('cols')], [p.n('count')], p.n('axis') ? [p.n('rows'), p.n('count')] : [p.n('count'), p.n('cols')]],
  build: (p, name) => {
    const [rows, cols, cnt, axis, it, dt] = [p.n('rows'), p.n('cols'), p.n('count'), p.n('axis'), p.s('index_type'), p.s('dtype')];
    const k = new Kernel([
      { name: 'data', type: memrefType([rows, cols], dt) },
      { name: 'indices', type: memrefType([cnt], it) },
      { name: 'out', type: memrefType(axis ? [rows, cnt] : [cnt, cols], dt) },
    ]);
    const [D, I, O] = k.args;
    const extent = axis ? cols : rows;
    k.scfFor(0, cnt, 1, (i) => {
      const raw = k.load(I!, [i]);
      const at = k.cast(k.min(k.max(raw, k.c(0, it)), k.c(extent - 1, it)), 'index');
      k.scfFor(0, axis ? rows : cols, 1, (j) => {
        if (axis) k.store(k.load(D!, [j, at]), O!, [j, i]);
        else k.store(k.load(D!, [at, j]), O!, [i, j]);
      });
    });
    return k.text(name);
  },
});

const concat = defineTemplate({
  name: 'concat',
  doc: 'C = concat(A, B) along axis 0 or 1: two affine nests, the second storing at an offset map',
  params: { m: range(1, 8, 3), n: range(1, 8, 4), extra: range(1, 8, 2), axis: range(0, 1, 1), dtype: choice(ALL_DTYPES, 'f32') },
  shapes: (p) => {
    const [m, n, e] = [p.n('m'), p.n('n'), p.n('extra')];
    return p.n('axis') ? [[m, n], [m, e], [m, n + e]] : [[m, n], [e, n], [m + e, n]];
  },
  build: (p, name) => {
    const [m, n, e, axis, dt] = [p.n('m'), p.n('n'), p.n('extra'), p.n('axis'), p.s('dtype')];
    const k = new Kernel([
      { name: 'A', type: memrefType([m, n], dt) },
      { name: 'B', type: memrefType(axis ? [m, e] : [e, n], dt) },
      { name: 'C', type: memrefType(axis ? [m, n + e] : [m + e, n], dt) },
    ]);
    const [A, B, C] = k.args;
    k.affineFor(0, m, (i) => void k.affineFor(0, n, (j) => k.astore(k.aload(A!, [i, j]), C!, [i, j])));
    const [br, bc] = axis ? [m, e] : [e, n];
    k.affineFor(0, br, (i) => void k.affineFor(0, bc, (j) => k.astore(k.aload(B!, [i, j]), C!, [i, j], axis ? ['d0', `d1 + ${n}`] : [`d0 + ${m}`, 'd1'])));
    return k.text(name);
  },
});

/** out = pad(in) with `before`/`after` elements on each side of both dims: a constant value or the edge. */
const pad = defineTemplate({
  name: 'pad2d',
  doc: 'constant padding (select on an in-bounds test) or edge padding (clamped index) of a 2-D tensor',
  params: { h: range(1, 8, 4), w: range(1, 8, 5), before: range(0, 3, 1), after: range(0, 3, 2), mode: choice(['constant', 'edge'], 'constant'), value: range(-2, 2, 1), dtype: choice(ALL_DTYPES, 'f32') },
  shapes: (p) => [[p.n('h'), p.n('w')], [p.n('h') + p.n('before') + p.n('after'), p.n('w') + p.n('before') + p.n('after')]],
  build: (p, name) => {
    const [h, w, b, a, dt] = [p.n('h'), p.n('w'), p.n('before'), p.n('after'), p.s('dtype')];
    const k = new Kernel([{ name: 'in', type: memrefType([h, w], dt) }, { name: 'out', type: memrefType([h + b + a, w + b + a], dt) }]);
    const [X, O] = k.args;
    const fill = p.s('mode') === 'constant' ? k.c(p.n('value'), dt) : undefined;
    k.affineFor(0, h + b + a, (i) =>
      void k.affineFor(0, w + b + a, (j) => {
        const v = k.guardedLoad(X!, [k.apply([i], `d0 - ${b}`), k.apply([j], `d0 - ${b}`)], [0, 1], fill);
        k.astore(v, O!, [i, j]);
      }),
    );
    return k.text(name);
  },
});

const slice = defineTemplate({
  name: 'strided_slice',
  doc: 'out[i,j] = in[off0 + i*s0, off1 + j*s1]: an affine.for with step reading a strided window, written compactly',
  params: { h: range(2, 12, 9), w: range(2, 12, 10), off: range(0, 2, 1), stride: range(1, 3, 2), dtype: choice(ALL_DTYPES, 'i64') },
  shapes: (p) => {
    const ext = (d: number) => Math.ceil((d - p.n('off')) / p.n('stride'));
    return [[p.n('h'), p.n('w')], [ext(p.n('h')), ext(p.n('w'))]];
  },
  build: (p, name) => {
    const [h, w, off, s, dt] = [p.n('h'), p.n('w'), p.n('off'), p.n('stride'), p.s('dtype')];
    const ext = (d: number) => Math.ceil((d - off) / s);
    const k = new Kernel([{ name: 'in', type: memrefType([h, w], dt) }, { name: 'out', type: memrefType([ext(h), ext(w)], dt) }]);
    const [X, O] = k.args;
    k.affineFor(off, h, (i) =>
      void k.affineFor(off, w, (j) => k.astore(k.aload(X!, [i, j]), O!, [i, j], [`(d0 - ${off}) floordiv ${s}`, `(d1 - ${off}) floordiv ${s}`]), { step: s }),
      { step: s });
    return k.text(name);
  },
});

export const DATA_MOVEMENT: readonly SeedTemplate[] = [transpose2d, permute3d, gather, concat, pad, slice];
