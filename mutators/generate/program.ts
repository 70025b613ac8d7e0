// Assembles one program: globals, private callees, and `func.func @main(memref args...)` (the ABI of DESIGN §3).
import { denseAttr, strAttr, typeAttr, unit } from '../../ir/attributes.ts';
import type { Attr } from '../../ir/attributes.ts';
import { newModule } from '../../ir/builder.ts';
import { deferEditChecks, Operation } from '../../ir/core.ts';
import type { Block } from '../../ir/core.ts';
import { printOp } from '../../ir/printer.ts';
import type { MemRefType, ScalarType } from '../../ir/types.ts';
import { contiguousStrides, fn, i16, i32, i64, i8, memref, numElements, tensor } from '../../ir/types.ts';
import { calleeSignature, funcOp } from './calls.ts';
import type { Callee, Limits, ModuleScope } from './context.ts';
import { GenContext } from './context.ts';
import { store } from './memory.ts';
import type { Rand } from './rand.ts';
import { fullRange } from './ranges.ts';
import { exactOnly, operand, randomScalarType } from './scalar.ts';
import { recentValue, statements } from './statements.ts';
import type { WeightName, WeightOverrides, Weights, WeightTables } from './weights.ts';
import { DEFAULT_WEIGHTS, resolveWeights, weightTables } from './weights.ts';

export type GeneratedProgram = {
  readonly module: Operation;
  /** @main's argument types, in order: every one is an input and an output buffer. */
  readonly args: readonly MemRefType[];
};

export type GenerateOptions = {
  /** Approximate number of ops in @main. */
  readonly mainOps?: readonly [min: number, max: number];
  readonly maxCallees?: number;
  /** Changes to the default weights (weights.ts). */
  readonly weights?: WeightOverrides;
};

const ARG_ELEMS: { readonly [N in WeightName<'argElem'>]: ScalarType } = {
  f32: { kind: 'float', name: 'f32' },
  i32,
  i64,
  f64: { kind: 'float', name: 'f64' },
  i16,
  i8,
  f16: { kind: 'float', name: 'f16' },
  bf16: { kind: 'float', name: 'bf16' },
};

function argType(r: Rand, t: WeightTables): MemRefType {
  const rank = r.weighted(t.argRank);
  const shape: number[] = Array.from({ length: rank }, () => r.weighted(t.argDim));
  while (numElements(shape) > 64) shape[0] = Math.max(1, shape[0]! >> 1);
  const elem = ARG_ELEMS[r.weighted(t.argElem)];
  return memref(shape, elem);
}

class Globals implements ModuleScope {
  private count = 0;
  constructor(private readonly body: Block) {}
  declareGlobal(t: MemRefType, constant: boolean, values: bigint[]): string {
    const name = `g${this.count++}`;
    const props: Record<string, Attr> = {
      sym_name: strAttr(name),
      sym_visibility: strAttr('private'),
      type: typeAttr(t),
      initial_value: denseAttr(tensor(t.shape, t.elem), values),
    };
    if (constant) props.constant = unit;
    const op = new Operation('memref.global', [], [], props);
    // Globals go first so the module reads top-down; symbol order does not matter to MLIR.
    this.body.insert(this.count - 1, op);
    return name;
  }
}

/** `weights` is `resolveWeights(opts.weights)`, passed in when the caller resolved it once for many programs. */
export function generateProgram(r: Rand, opts: GenerateOptions = {}, weights: Weights = opts.weights ? resolveWeights(opts.weights) : DEFAULT_WEIGHTS): GeneratedProgram {
  // The module is incomplete until the end: under TCFUZZ_VERIFY_EDITS it is verified once, when it is whole.
  return deferEditChecks(() => buildProgram(r, opts, weights));
}

function buildProgram(r: Rand, opts: GenerateOptions, w: Weights): GeneratedProgram {
  const { module, body } = newModule();
  const globals = new Globals(body);
  const tables = weightTables(w);
  const args = Array.from({ length: r.weighted(tables.argCount) }, () => argType(r, tables));
  const callees: Callee[] = [];
  const nCallees = r.int(0, opts.maxCallees ?? 3);
  for (let k = 0; k < nCallees; k++) callees.push(emitCallee(r, w, body, globals, callees, args, `f${k}`));

  const { op: main, entry } = funcOp('main', fn(args, []));
  body.append(main);
  const [lo, hi] = opts.mainOps ?? [30, 110];
  const ctx = new GenContext(r, entry, { budget: r.int(lo, hi), maxDepth: 3, maxWork: 400 }, globals, w);
  ctx.callees.push(...callees);
  ctx.topLevelBlocks.add(entry);
  entry.args.forEach((a, k) => ctx.addBuffer({ value: a, shape: args[k]!.shape, elem: args[k]!.elem, readOnly: false, root: {}, layout: { strides: contiguousStrides(args[k]!.shape), offset: 0 } }));
  statements(ctx, 1000);
  // Make the last computations observable: every buffer is an output, values that are never stored are not.
  for (let k = 0; k < 2; k++) store(ctx, recentValue(ctx));
  ctx.emitDeallocs();
  ctx.b.create('func.return');
  return { module, args };
}

function emitCallee(r: Rand, w: Weights, body: Block, globals: ModuleScope, earlier: readonly Callee[], mainArgs: readonly MemRefType[], name: string): Callee {
  const limits: Limits = { budget: r.int(8, 30), maxDepth: 2, maxWork: 40 };
  // The signature is drawn with a throwaway context: it only needs the random source.
  const sigCtx = new GenContext(r, body, limits, globals, w);
  const sig = calleeSignature(sigCtx, mainArgs, () => randomScalarType(sigCtx));
  const type = fn(sig.inputs, sig.results);
  const { op, entry } = funcOp(name, type, 'private');
  body.append(op);
  const ctx = new GenContext(r, entry, limits, globals, w);
  ctx.callees.push(...earlier);
  ctx.topLevelBlocks.add(entry);
  entry.args.forEach((a) => {
    const t = a.type;
    if (t.kind === 'memref') ctx.addBuffer({ value: a, shape: t.shape, elem: t.elem, readOnly: false, root: {}, layout: { strides: contiguousStrides(t.shape), offset: 0 } });
    else {
      ctx.setFacts(a, t.kind === 'int' ? { range: fullRange(t.width) } : {});
      ctx.define(a);
    }
  });
  statements(ctx, 100);
  const results = sig.results.map((t) => operand(ctx, t, t.kind === 'float' ? () => true : exactOnly(ctx)));
  ctx.emitDeallocs();
  ctx.b.create('func.return', { operands: results });
  return { name, type, touchesMemory: sig.inputs.some((t) => t.kind === 'memref'), approxResults: results.map((v) => !!ctx.factsOf(v).approx) };
}

export function programText(p: GeneratedProgram): string {
  return printOp(p.module);
}
