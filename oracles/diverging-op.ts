// Which op of the entry produced the first value that differs from the reference: the miscompile signature's
// anchor. A buffer difference is pinned on the last op, in program order, that writes the buffer (or a view of
// it), with the op that produced the stored value (`memref.store(arith.muli)`); a stdout difference on the op that
// prints such a line. Program order is the textual one, nested regions included, so the answer depends on the
// program's text alone, never on which backend went wrong.
import type { Difference } from '../contracts/oracle.ts';
import type { Program } from '../contracts/case.ts';
import { Operation } from '../ir/core.ts';
import type { Value } from '../ir/core.ts';
import { parseModule } from '../ir/parser/index.ts';

/** Ops whose results are views of their first operand (same memory). */
const VIEWS = new Set([
  'memref.subview',
  'memref.cast',
  'memref.reinterpret_cast',
  'memref.expand_shape',
  'memref.collapse_shape',
  'memref.view',
  'memref.transpose',
  'memref.memory_space_cast',
  'memref.assume_alignment',
  'memref.extract_strided_metadata',
]);

/** Memref operand that each store-like op writes through. */
const WRITES: Readonly<Record<string, number>> = {
  'memref.store': 1,
  'affine.store': 1,
  'affine.vector_store': 1,
  'vector.store': 1,
  'vector.transfer_write': 1,
  'vector.maskedstore': 0,
  'vector.compressstore': 0,
  'vector.scatter': 0,
  'memref.copy': 1,
  'memref.atomic_rmw': 1,
  'memref.generic_atomic_rmw': 0,
  'linalg.fill': 1,
};

/** Operand holding the stored value, for stores of one value: its producer is named with the store. */
const STORED_VALUE: Readonly<Record<string, number>> = {
  'memref.store': 0,
  'affine.store': 0,
  'affine.vector_store': 0,
  'vector.store': 0,
  'vector.transfer_write': 0,
  'memref.atomic_rmw': 0,
};

/** Labels (`opLabel`) of the ops that print. */
const PRINTS = /^(?:vector\.print|func\.call:print\w*)$/;

/** The op named by a difference, or undefined when the program cannot be read or no op matches. */
export function divergingOp(program: Program, d: Difference): string | undefined {
  const main = entryFunction(program);
  if (!main) return undefined;
  const ops = programOrder(main);
  if (d.kind === 'shape') return undefined;
  if (d.kind === 'stdout') return printingOp(ops, d.values);
  const arg = main.regions[0]?.blocks[0]?.args[d.buffer];
  if (!arg) return undefined;
  const aliases = new Set<Value>([arg]);
  let last: string | undefined;
  for (const op of ops) {
    if (VIEWS.has(op.name) && op.operands[0] && aliases.has(op.operands[0])) op.results.forEach((r) => aliases.add(r));
    const w = WRITES[op.name];
    if (w !== undefined && op.operands[w] && aliases.has(op.operands[w]!)) last = storeLabel(op);
    // A callee may write the buffer too; the call is as far as the entry's text can tell.
    else if (op.name === 'func.call' && op.operands.some((v) => aliases.has(v))) last = opLabel(op);
  }
  return last;
}

/** `memref.store(arith.muli)`: the store and the op that produced the stored value (`arg` for a block argument). */
function storeLabel(op: Operation): string {
  const v = STORED_VALUE[op.name];
  if (v === undefined || !op.operands[v]) return op.name;
  return `${op.name}(${op.operands[v]!.definingOp?.name ?? 'arg'})`;
}

/** The program's module: the case's own when it carries one, else parsed from its text; undefined if it does not parse. */
export function programModule(program: Program): Operation | undefined {
  try {
    return program.ir instanceof Operation ? program.ir : parseModule(program.text, '<program>', { allowUnregistered: true });
  } catch {
    return undefined;
  }
}

function entryFunction(program: Program): Operation | undefined {
  const module = programModule(program);
  return module?.regions[0]?.blocks[0]?.ops.find((op) => {
    const n = op.props.sym_name;
    return op.name === 'func.func' && n?.kind === 'string' && n.value === program.entry.name;
  });
}

function programOrder(op: Operation): Operation[] {
  const out: Operation[] = [];
  const visit = (o: Operation): void => {
    for (const r of o.regions) for (const b of r.blocks) for (const inner of b.ops) {
      out.push(inner);
      visit(inner);
    }
  };
  visit(op);
  return out;
}

/** `func.call:printMemrefF32` for a call (the callee is the runtime function it is), else the op name. */
function opLabel(op: Operation): string {
  const callee = op.props.callee;
  return op.name === 'func.call' && callee?.kind === 'symbol' ? `func.call:${callee.path[0]}` : op.name;
}

/** A memref printer's line (`Unranked Memref …`, `[…]`) points at a printMemref call, anything else at vector.print. */
function printingOp(ops: readonly Operation[], lines: readonly [string, string]): string | undefined {
  const printers = ops.map(opLabel).filter((l) => PRINTS.test(l));
  const memrefLine = lines.some((l) => /^\s*(?:Unranked Memref|Memref|\[)/.test(l));
  const preferred = printers.filter((l) => (memrefLine ? l.startsWith('func.call:printMemref') : !l.startsWith('func.call:printMemref')));
  return preferred[preferred.length - 1] ?? printers[printers.length - 1];
}
