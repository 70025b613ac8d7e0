// The interpreter behind the `Reference` contract. The index width is the run's (the narrowest executor's): at 32 an
// index value outside int32 is a portability limit (never UB); at 64 only values beyond ±2^53 are out of its model.
import type { Program } from '../contracts/case.ts';
import type { Reference, ReferenceOptions, ReferenceOutcome } from '../contracts/reference.ts';
import { Operation } from '../ir/core.ts';
import { parseModule } from '../ir/parser/index.ts';
import { numElements, printType } from '../ir/types.ts';
import { MAX_ELEMENTS } from './memory.ts';
import { runMain } from './index.ts';

export const interpreter: Reference = {
  name: 'interp',
  layout: { indexBits: 64 },
  run(program: Program, inputs: readonly Uint8Array[], opts: ReferenceOptions): ReferenceOutcome {
    const t0 = performance.now();
    const module = program.ir instanceof Operation ? program.ir : parseModule(program.text);
    const big = oversizedValue(module);
    if (big) return { kind: 'unsupported', op: big.op.name, ...(big.op.loc && { loc: big.op.loc }), message: big.message, ms: { reference: performance.now() - t0 } };
    const r = runMain(module, inputs, { entry: program.entry.name, indexBits: opts.limits.indexBits, ...(opts.stepBudget !== undefined && { stepBudget: opts.stepBudget }) });
    const ms = { reference: performance.now() - t0 };
    const where = (o: { loc?: { file: string; line: number; col: number } }) => (o.loc ? { loc: o.loc } : {});
    switch (r.kind) {
      case 'ok':
        return { kind: 'ok', buffers: r.buffers, stdout: r.stdout, taint: r.taint, opsExecuted: r.opsExecuted, steps: r.steps, ms };
      case 'ub':
        if (r.ub === 'index-range') {
          return opts.limits.indexBits === 32
            ? { kind: 'unportable', limit: 'indexBits', op: r.op, ...where(r), message: `${r.message}: not portable to a 32-bit index`, ms }
            : { kind: 'unsupported', op: r.op, ...where(r), message: r.message, ms };
        }
        return { kind: 'ub', ub: r.ub, op: r.op, ...where(r), message: r.message, stdout: r.stdout, ms };
      case 'hang':
        return { kind: 'hang', steps: r.steps, ms };
      case 'unsupported':
        return { kind: 'unsupported', op: r.op, ...where(r), message: r.message, ms };
    }
  },
};

/** The first op whose result is a vector or memref too big to materialise (a `dense<1> : vector<1000000000xi32>`). */
function oversizedValue(module: Operation): { op: Operation; message: string } | undefined {
  for (const op of module.walk()) {
    for (const v of op.results) {
      const t = v.type;
      if ((t.kind === 'vector' || t.kind === 'memref') && t.shape.every((d) => d >= 0) && numElements(t.shape) > MAX_ELEMENTS) {
        return { op, message: `${printType(t)} has more elements than the interpreter's limit of ${MAX_ELEMENTS}` };
      }
    }
  }
  return undefined;
}
