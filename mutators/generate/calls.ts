// Private callee functions and func.call sites. Callees form a DAG: each may call only earlier ones.
import { strAttr, symbolRef, typeAttr } from '../../ir/attributes.ts';
import { Block, Operation, Region } from '../../ir/core.ts';
import type { Value } from '../../ir/core.ts';
import type { MemRefType, ScalarType, Type } from '../../ir/types.ts';
import { fn, typeEq } from '../../ir/types.ts';
import type { GenContext } from './context.ts';
import { fullRange } from './ranges.ts';
import { exactOnly, operand } from './scalar.ts';

/** Emits a func.call to a random callee whose arguments can be supplied here. */
export function call(ctx: GenContext): boolean {
  const r = ctx.rand;
  const usable = ctx.callees.filter((c) => !(c.touchesMemory && ctx.parallelReadOnly));
  if (!usable.length) return false;
  const c = r.pick(usable);
  const args: Value[] = [];
  for (const t of c.type.inputs) {
    if (t.kind === 'memref') {
      // The callee may write through it, so only a writable buffer of exactly this type will do.
      const bufs = ctx.writableBuffers().filter((b) => typeEq(b.value.type, t));
      if (!bufs.length) return false;
      args.push(r.pick(bufs).value);
    } else args.push(operand(ctx, t, exactOnly(ctx)));
  }
  const results = ctx.op('func.call', args, c.type.results, { callee: symbolRef(c.name) });
  results.forEach((v, k) => {
    const t = v.type;
    ctx.setFacts(v, { ...(t.kind === 'int' && { range: fullRange(t.width) }), ...(c.approxResults[k] && { approx: true }) });
  });
  return true;
}

/** A func.func op with an entry block holding its arguments. */
export function funcOp(name: string, type: ReturnType<typeof fn>, visibility?: 'private'): { op: Operation; entry: Block } {
  const entry = new Block(type.inputs);
  const props: Record<string, ReturnType<typeof strAttr> | ReturnType<typeof typeAttr>> = { function_type: typeAttr(type), sym_name: strAttr(name) };
  if (visibility) props.sym_visibility = strAttr(visibility);
  const op = new Operation('func.func', [], [], props, [new Region([entry])]);
  return { op, entry };
}

export function calleeSignature(ctx: GenContext, memrefArgs: readonly MemRefType[], pickScalar: () => ScalarType): { inputs: Type[]; results: Type[] } {
  const r = ctx.rand;
  const nonIndex = (): ScalarType => {
    const t = pickScalar();
    return t.kind === 'index' ? { kind: 'int', width: 32 } : t;
  };
  const inputs: Type[] = Array.from({ length: r.int(1, 3) }, nonIndex);
  if (memrefArgs.length && ctx.chance('calleeMemrefArg')) inputs.splice(r.int(0, inputs.length), 0, r.pick(memrefArgs));
  const results: Type[] = Array.from({ length: r.int(0, 2) }, nonIndex);
  return { inputs, results };
}

