// The mutable IR (ir/core.ts): use-lists after every kind of edit, clone, erase, moves, region and block-argument
// edits, and the debug mode that verifies every edit. Edited modules must still verify and mlir-opt must accept them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { Block, deferEditChecks, IrMapping, Operation, Region, setVerifyEdits } from '../../ir/core.ts';
import type { Value } from '../../ir/core.ts';
import { lookupOp } from '../../ir/ops/registry.ts';
import { parseModule } from '../../ir/parser/index.ts';
import { printOp } from '../../ir/printer.ts';
import { i32, typeEq } from '../../ir/types.ts';
import { verifyModule } from '../../ir/verifier.ts';
import { programArbitrary } from '../../mutators/generate/index.ts';
import { runMlirOpt } from '../../targets/mlir/mlir-opt.ts';
import { mlirOptPath } from '../helpers/toolchain.ts';

/** Every operand slot of every op under `root`, grouped by value: the use-lists recomputed from scratch. */
function usesFromScratch(root: Operation): Map<Value, string[]> {
  const ids = new Map<Operation, number>();
  for (const op of root.walk()) ids.set(op, ids.size);
  const out = new Map<Value, string[]>();
  for (const op of root.walk()) {
    op.operands.forEach((v, k) => {
      if (!out.has(v)) out.set(v, []);
      out.get(v)!.push(`${ids.get(op)}#${k}`);
    });
  }
  return out;
}

/** Each value's use-list is exactly the operand slots that hold it (no ghost users, no missing ones). */
function assertUseLists(root: Operation): void {
  const ids = new Map<Operation, number>();
  for (const op of root.walk()) ids.set(op, ids.size);
  const expected = usesFromScratch(root);
  const values = new Set<Value>(expected.keys());
  for (const op of root.walk()) {
    for (const v of op.results) values.add(v);
    for (const r of op.regions) for (const b of r.blocks) for (const a of b.args) values.add(a);
  }
  for (const v of values) {
    const got = v.uses.map((u) => {
      assert.equal(u.value, v, 'a use names another value');
      assert.equal(u.owner.operands[u.index], v, `${u.owner.name} operand #${u.index} is not the value its use names`);
      assert.ok(ids.has(u.owner), `a use by '${u.owner.name}', which is not in the module`);
      return `${ids.get(u.owner)}#${u.index}`;
    });
    assert.deepEqual(got.sort(), (expected.get(v) ?? []).sort(), `use-list of a value of ${v.owner instanceof Block ? 'a block' : (v.owner as Operation).name}`);
    assert.equal(v.hasUses, got.length > 0);
  }
}

function assertValid(m: Operation): void {
  assertUseLists(m);
  assert.deepEqual(verifyModule(m).map((e) => e.format()), []);
}

const hasMlirOpt = !!mlirOptPath();
async function assertMlirOptAccepts(texts: readonly string[]): Promise<void> {
  if (!hasMlirOpt) return;
  const results = await runMlirOpt(texts, []);
  results.forEach((r, k) => assert.equal(r.kind, 'ok', `mlir-opt rejected:\n${JSON.stringify(r).slice(0, 600)}\n${texts[k]}`));
}

const FN = `"builtin.module"() ({
  "func.func"() <{function_type = (i32, i32) -> i32, sym_name = "f"}> ({
  ^bb0(%a: i32, %b: i32):
    %0 = "arith.addi"(%a, %b) : (i32, i32) -> i32
    %1 = "arith.muli"(%0, %a) : (i32, i32) -> i32
    %2 = "arith.addi"(%1, %1) : (i32, i32) -> i32
    %c0 = "arith.constant"() <{value = 0 : index}> : () -> index
    %c4 = "arith.constant"() <{value = 4 : index}> : () -> index
    %c1 = "arith.constant"() <{value = 1 : index}> : () -> index
    %r = "scf.for"(%c0, %c4, %c1, %2) ({
    ^bb0(%i: index, %acc: i32):
      %s = "arith.addi"(%acc, %b) : (i32, i32) -> i32
      "scf.yield"(%s) : (i32) -> ()
    }) : (index, index, index, i32) -> i32
    "func.return"(%r) : (i32) -> ()
  }) : () -> ()
  "func.func"() <{function_type = (i1, i32) -> i32, sym_name = "g"}> ({
  ^bb0(%c: i1, %x: i32):
    "cf.cond_br"(%c, %x) [^bb1, ^bb2] <{operandSegmentSizes = array<i32: 1, 1, 0>}> : (i1, i32) -> ()
  ^bb1(%y: i32):
    "cf.br"(%y) [^bb3] : (i32) -> ()
  ^bb2:
    "cf.br"(%x) [^bb3] : (i32) -> ()
  ^bb3(%z: i32):
    "func.return"(%z) : (i32) -> ()
  }) : () -> ()
}) : () -> ()
`;

function fixture() {
  const m = parseModule(FN);
  const [f, g] = m.regions[0]!.blocks[0]!.ops as [Operation, Operation];
  const entry = f.regions[0]!.blocks[0]!;
  const [add0, mul, add2, c0, c4, c1, loop, ret] = entry.ops as Operation[] as [Operation, Operation, Operation, Operation, Operation, Operation, Operation, Operation];
  const [a, b] = entry.args as [Value, Value];
  return { m, f, g, entry, a, b, add0, mul, add2, c0, c4, c1, loop, ret };
}

const slots = (v: Value): string[] => v.uses.map((u) => `${u.owner.name}#${u.index}`).sort();

describe('use-lists', () => {
  it('are registered by parsing and construction', () => {
    const { m, a, b, add0, add2 } = fixture();
    assertValid(m);
    assert.deepEqual(slots(a), ['arith.addi#0', 'arith.muli#1']);
    assert.deepEqual(slots(b), ['arith.addi#1', 'arith.addi#1'], 'the second is inside the loop body');
    assert.deepEqual(slots(add0.result), ['arith.muli#0']);
    assert.equal(add2.operands[0], add2.operands[1]);
    assert.deepEqual(add2.operands[0]!.uses.map((u) => u.index).sort(), [0, 1], 'one use per operand slot, even of the same value');
    assert.deepEqual(add0.result.users.map((o) => o.name), ['arith.muli']);
    const fresh = new Operation('arith.subi', [a, a], [i32]);
    assert.deepEqual(slots(a), ['arith.addi#0', 'arith.muli#1', 'arith.subi#0', 'arith.subi#1'], 'a detached op holds its uses too');
    fresh.erase();
    assert.deepEqual(slots(a), ['arith.addi#0', 'arith.muli#1']);
  });

  it('follow setOperand and setOperands', () => {
    const { m, a, b, mul, add0 } = fixture();
    mul.setOperand(1, b);
    assert.deepEqual(slots(a), ['arith.addi#0']);
    assert.deepEqual(slots(b).filter((s) => s === 'arith.muli#1'), ['arith.muli#1']);
    mul.setOperands([a, add0.result]);
    assert.deepEqual(mul.operands, [a, add0.result]);
    assert.equal(mul.use(1).value, add0.result);
    assertValid(m);
    assert.throws(() => mul.setOperand(2, a), /no operand #2/);
  });

  it('follow replaceAllUsesWith and replaceUsesWithIf', async () => {
    const { m, a, b, add0, mul } = fixture();
    a.replaceUsesWithIf(b, (u) => u.owner === mul);
    assert.deepEqual(slots(a), ['arith.addi#0']);
    add0.result.replaceAllUsesWith(b);
    assert.equal(add0.result.hasUses, false);
    assert.equal(mul.operands[0], b);
    assertValid(m);
    await assertMlirOptAccepts([printOp(m)]);
  });
});

describe('erase', () => {
  it('refuses while a result is used, and drops the operands it held', async () => {
    const { m, a, b, add0, mul } = fixture();
    assert.throws(() => add0.erase(), /cannot erase 'arith.addi': result #0 of 'arith.addi' is still used by 'arith.muli'/);
    add0.result.replaceAllUsesWith(a);
    add0.erase();
    assert.equal(add0.parent, undefined);
    assert.deepEqual(slots(a), ['arith.muli#0', 'arith.muli#1']);
    assert.deepEqual(slots(b), ['arith.addi#1'], 'only the loop body still uses %b');
    assertValid(m);
    assert.equal(mul.operands[0], a);
    await assertMlirOptAccepts([printOp(m)]);
  });

  it('of an op with regions drops the uses made inside it', () => {
    const { m, b, loop, ret, add2 } = fixture();
    assert.throws(() => loop.erase(), /still used by 'func.return'/);
    ret.setOperand(0, add2.result);
    loop.erase();
    assert.deepEqual(slots(b), ['arith.addi#1'], "the loop body's use of %b is gone");
    assertValid(m);
  });

  it('refuses while a value defined inside the op is used outside it', () => {
    const { loop, ret } = fixture();
    const body = loop.regions[0]!.blocks[0]!;
    ret.setOperand(0, body.ops[0]!.result); // invalid IR on purpose: a use of an inner value from outside
    assert.throws(() => loop.erase(), /result #0 of 'arith.addi' is still used by 'func.return'/);
  });
});

describe('insertion and moves', () => {
  it('insertBefore, insertAfter and moveBefore keep the module valid', async () => {
    const { m, a, b, add0, mul, add2, c0, loop } = fixture();
    const sub = new Operation('arith.subi', [a, b], [i32]);
    sub.insertBefore(mul);
    const xor = new Operation('arith.xori', [sub.result, add0.result], [i32]);
    xor.insertAfter(sub);
    assert.deepEqual(add0.parent!.ops.slice(0, 4), [add0, sub, xor, mul]);
    mul.setOperand(1, xor.result);
    c0.moveBefore(add0);
    assert.equal(add0.parent!.ops[0], c0);
    add2.moveAfter(loop.regions[0]!.blocks[0]!.ops[0]!); // into the loop body: still dominated by %1
    assert.equal(add2.parentOp, loop);
    loop.setOperand(3, b);
    assertValid(m);
    await assertMlirOptAccepts([printOp(m)]);
    assert.throws(() => sub.insertBefore(mul), /already in a block/);
    assert.throws(() => loop.moveBefore(loop.regions[0]!.blocks[0]!.ops[0]!), /into its own region/);
  });

  it('remove takes an op out with its uses kept, for insertion elsewhere', () => {
    const { m, a, mul, ret } = fixture();
    mul.remove();
    assert.equal(mul.parent, undefined);
    assert.ok(slots(a).includes('arith.muli#1'), 'a removed op still uses its operands');
    mul.insertBefore(ret);
    assertUseLists(m);
  });
});

describe('clone', () => {
  it('copies a whole module: printed identically, and independent of the original', async () => {
    const { m } = fixture();
    const text = printOp(m);
    const copy = m.clone();
    assert.equal(printOp(copy), text);
    assertValid(copy);
    // Editing the copy leaves the original as it was.
    const cf = copy.regions[0]!.blocks[0]!.ops[0]!;
    const [cadd0, cmul] = cf.regions[0]!.blocks[0]!.ops as [Operation, Operation];
    cadd0.result.replaceAllUsesWith(cf.regions[0]!.blocks[0]!.args[0]!);
    cadd0.erase();
    cmul.setOperand(1, cf.regions[0]!.blocks[0]!.args[1]!);
    assert.notEqual(printOp(copy), text);
    assert.equal(printOp(m), text);
    assertValid(m);
    assertValid(copy);
    for (const op of copy.walk()) for (const v of op.operands) assert.ok(!usesFromScratch(m).has(v), 'the copy uses a value of the original');
    await assertMlirOptAccepts([printOp(copy)]);
  });

  it('maps operands defined outside through the mapping, and remaps successors', () => {
    const { m, a, b, loop, ret, g } = fixture();
    const mapping = new IrMapping();
    mapping.map(b, a);
    const copy = loop.clone(mapping);
    const inner = copy.regions[0]!.blocks[0]!.ops[0]!;
    assert.equal(inner.operands[1], a, 'the outside value %b maps to %a');
    assert.equal(inner.operands[0], copy.regions[0]!.blocks[0]!.args[1], 'inside values map to the copies');
    assert.equal(mapping.lookup(loop.result), copy.result);
    copy.insertBefore(ret);
    ret.setOperand(0, copy.result);
    assertValid(m);

    const gCopy = g.clone();
    const [, bb1c, , bb3c] = gCopy.regions[0]!.blocks;
    assert.equal(bb1c!.ops[0]!.successors[0], bb3c, 'cf.br targets the copied block');
    assert.notEqual(bb3c, g.regions[0]!.blocks[3]);
    gCopy.props = { ...gCopy.props, sym_name: { kind: 'string', value: 'g2' } };
    gCopy.insertAfter(g);
    assertValid(m);
  });
});

describe('regions and block arguments', () => {
  it('takeBody moves the blocks of one op into another', async () => {
    const { m, f } = fixture();
    const nf = new Operation('func.func', [], [], { ...f.props, sym_name: { kind: 'string', value: 'f2' } }, [new Region()]);
    nf.regions[0]!.takeBody(f.regions[0]!);
    assert.equal(f.regions[0]!.blocks.length, 0);
    assert.equal(nf.regions[0]!.blocks[0]!.parentOp, nf);
    f.erase();
    nf.insertBefore(m.regions[0]!.blocks[0]!.ops[0]!);
    assertValid(m);
    await assertMlirOptAccepts([printOp(m)]);
    assert.throws(() => nf.regions[0]!.takeBody(new Region([new Block()])), /not empty/);
  });

  it('insertArg and eraseArg, with the branches fixed in one deferred edit', async () => {
    const { m, g } = fixture();
    const [entry, bb1, bb2, bb3] = g.regions[0]!.blocks as [Block, Block, Block, Block];
    assert.throws(() => bb3.eraseArg(0), /still used by 'func.return'/);
    deferEditChecks(() => {
      const extra = bb3.insertArg(0, i32);
      assert.equal(bb3.args[1]!.index, 1, 'later arguments are renumbered');
      bb1.ops[0]!.setOperands([bb1.args[0]!, bb1.args[0]!]);
      bb2.ops[0]!.setOperands([entry.args[1]!, entry.args[1]!]);
      bb3.ops[0]!.setOperand(0, extra);
    });
    assertValid(m);
    await assertMlirOptAccepts([printOp(m)]);
    deferEditChecks(() => {
      bb3.ops[0]!.setOperand(0, bb3.args[1]!);
      bb3.eraseArg(0);
      bb1.ops[0]!.setOperands([bb1.args[0]!]);
      bb2.ops[0]!.setOperands([entry.args[1]!]);
    });
    assert.equal(bb3.args[0]!.index, 0);
    assertValid(m);
  });
});

describe('edit checks (TCFUZZ_VERIFY_EDITS)', () => {
  let was = false;
  before(() => (was = setVerifyEdits(true)));
  after(() => setVerifyEdits(was));

  it('throw with the verifier message when an edit breaks the module, and let valid edits through', () => {
    const { m, add0, mul, a } = fixture();
    assert.throws(() => mul.moveBefore(add0), /moveBefore left an invalid module: .*'arith.muli' op operand #0 does not dominate this use/);
    mul.moveAfter(add0);
    mul.setOperand(0, a);
    add0.erase();
    assertValid(m);
  });

  it('check a deferred group of edits once, at its end', () => {
    const { mul, add0, loop, ret } = fixture();
    deferEditChecks(() => {
      mul.moveBefore(add0); // invalid for a moment
      mul.moveAfter(add0);
    });
    const inner = loop.regions[0]!.blocks[0]!.ops[0]!.result;
    assert.throws(() => deferEditChecks(() => ret.setOperand(0, inner)), /deferred edits left an invalid module: .*'func.return' op/);
  });

  it('do not check IR under construction (outside a module)', () => {
    const blk = new Block([i32]);
    const op = new Operation('arith.addi', [blk.args[0]!, blk.args[0]!], [i32]);
    blk.append(op);
    const bad = new Operation('arith.muli', [op.result, op.result], [i32]);
    bad.insertBefore(op); // does not dominate, but nothing is checked until it is in a module
    assert.equal(blk.ops[0], bad);
  });
});

describe('random edits of generated programs (property)', () => {
  const isTerminator = (op: Operation): boolean => !!lookupOp(op.name)?.traits?.includes('terminator');
  const movable = (op: Operation): boolean => !!op.parent && !!op.parentOp && op.parentOp.name !== 'builtin.module' && !isTerminator(op) && !('sym_name' in op.props);
  /** Values from this block that `op` (or anything in it) uses, with their positions. */
  const latestDef = (op: Operation, block: Block): number => {
    let last = -1;
    for (const inner of op.walk())
      for (const v of inner.operands) {
        const d = v.definingOp;
        if (d?.parent === block) last = Math.max(last, block.ops.indexOf(d));
      }
    return last;
  };
  const firstUser = (op: Operation, block: Block): number => {
    for (let k = block.ops.indexOf(op) + 1; k < block.ops.length; k++) {
      for (const inner of block.ops[k]!.walk()) if (inner.operands.some((v) => v.definingOp === op)) return k;
    }
    return block.ops.length - 1;
  };

  type Edit = { kind: 'clone' | 'hoist' | 'sink' | 'erase' | 'rauw'; pick: number; other: number };
  const edit = fc.record({ kind: fc.constantFrom('clone', 'hoist', 'sink', 'erase', 'rauw'), pick: fc.nat(), other: fc.nat() }) as fc.Arbitrary<Edit>;

  /** Applies `e` where it keeps the module valid; returns whether it changed anything. */
  function apply(m: Operation, e: Edit): boolean {
    const ops = [...m.walk()].filter(movable);
    if (!ops.length) return false;
    const op = ops[e.pick % ops.length]!;
    const block = op.parent!;
    const at = block.ops.indexOf(op);
    switch (e.kind) {
      case 'clone':
        op.clone().insertAfter(op);
        return true;
      case 'hoist': {
        const to = latestDef(op, block) + 1;
        if (to >= at) return false;
        op.moveBefore(block.ops[to + (e.other % (at - to))]!);
        return true;
      }
      case 'sink': {
        const limit = firstUser(op, block);
        if (limit <= at + 1) return false;
        op.moveBefore(block.ops[at + 2 + (e.other % (limit - at - 1))]!);
        return true;
      }
      case 'erase':
        if (op.results.some((v) => v.hasUses)) return false;
        op.erase();
        return true;
      case 'rauw': {
        // Replace a result by an earlier value of the same type in the same block: it dominates every use.
        const v = op.results[e.other % Math.max(1, op.results.length)];
        if (!v?.hasUses || v.users.some((u) => u.name.startsWith('affine.'))) return false;
        const earlier = [...block.args, ...block.ops.slice(0, at).flatMap((o) => o.results)].filter((w) => typeEq(w.type, v.type));
        if (!earlier.length) return false;
        v.replaceAllUsesWith(earlier[e.other % earlier.length]!);
        return true;
      }
    }
  }

  it('keep use-lists exact and the module verified (and mlir-opt accepts the results)', async () => {
    const texts: string[] = [];
    const applied = new Map<string, number>();
    const was = setVerifyEdits(true);
    try {
      fc.assert(
        fc.property(programArbitrary({ mainOps: [20, 60], maxCallees: 1 }), fc.array(edit, { minLength: 1, maxLength: 12 }), (p, edits) => {
          const before = printOp(p.module);
          const copy = p.module.clone();
          for (const e of edits) {
            if (apply(copy, e)) applied.set(e.kind, (applied.get(e.kind) ?? 0) + 1);
            assertUseLists(copy);
          }
          assert.deepEqual(verifyModule(copy).map((x) => x.format()), []);
          assert.equal(printOp(p.module), before, 'editing the clone changed the original');
          assertUseLists(p.module);
          texts.push(printOp(copy));
        }),
        { numRuns: 40, seed: 11 },
      );
    } finally {
      setVerifyEdits(was);
    }
    for (const kind of ['clone', 'hoist', 'sink', 'erase', 'rauw']) assert.ok((applied.get(kind) ?? 0) >= 5, `${kind} applied only ${applied.get(kind) ?? 0} times`);
    await assertMlirOptAccepts(texts);
  });
});
