// Importing this module fills the op registry with every dialect tcfuzz supports.
import { affineOps } from './affine.ts';
import { arithOps } from './arith.ts';
import { builtinOps } from './builtin.ts';
import { cfOps } from './cf.ts';
import { funcOps } from './func.ts';
import { indexOps } from './index-dialect.ts';
import { mathOps } from './math.ts';
import { memrefOps } from './memref.ts';
import { registerOps } from './registry.ts';
import { scfOps } from './scf.ts';
import { vectorOps } from './vector.ts';

for (const list of [builtinOps, funcOps, cfOps, arithOps, mathOps, memrefOps, scfOps, affineOps, vectorOps, indexOps]) registerOps(list);

export { allOps, lookupOp } from './registry.ts';
