// builtin: the module, the root of every program.
import type { OpSpec } from './spec.ts';

export const builtinOps: readonly OpSpec[] = [
  {
    name: 'builtin.module',
    operands: [],
    results: [],
    props: { sym_name: { required: false, kind: 'string' }, sym_visibility: { required: false, kind: 'string' } },
    regions: 1,
    traits: ['isolated-from-above', 'no-terminator', 'single-block', 'symbol-table', 'affine-scope', 'graph-region'],
  },
];
