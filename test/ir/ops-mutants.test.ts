// Differential test of the verifier against mlir-opt on small mutants of the valid programs: per op name, a
// few deterministic mutations (a result type, a dropped or bumped prop, swapped or replaced operands). The two
// must agree, except where tcfuzz is stricter on purpose, and never may we accept what mlir-opt rejects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intAttr } from '../../ir/attributes.ts';
import type { Operation } from '../../ir/core.ts';
import { parseModule } from '../../ir/parser/index.ts';
import { printOp } from '../../ir/printer.ts';
import { f16, f32, i1, i32, i64, index, memref, vector } from '../../ir/types.ts';
import { verifyModule } from '../../ir/verifier.ts';
import { mlirOptErrors, toGeneric } from './ops-harness.ts';
import { mlirOptPath } from '../helpers/toolchain.ts';
import { PROGRAMS } from './ops-programs.ts';

/** Our messages for rules MLIR 22 does not check (each has a `stricter` case in verifier.test.ts). */
const STRICTER = [
  /does not accept property/,
  /bound operand count .* must equal its map/,
  /expected step to be representable as a positive signed integer/,
  /expects the init values to have the result types/,
  /requires source and vector element types to match/,
];

/** Mutants that crash MLIR 22 (kept as regression cases in verifier.test.ts); each crash costs a batch bisection. */
const KNOWN_CRASHES = ['cf.switch: drop case_values'];

const TYPES = [i32, i64, f32, index, i1, f16, vector([4], f32), vector([4], i32), memref([8], f32)];
const PER_OP = 6;

type Mutation = (op: Operation) => string | undefined;

/** The mutations of the op at walk position `k` of `m`, as functions applied to a fresh parse. */
function mutations(op: Operation, k: number): Mutation[] {
  const out: Mutation[] = [];
  op.results.forEach((_, r) => {
    const t = TYPES[(k + r) % TYPES.length]!;
    out.push((o) => (o.results[r]!.type === t ? undefined : ((o.results[r]!.type = t), `result #${r} to ${TYPES.indexOf(t)}`)));
  });
  for (const p of Object.keys(op.props)) {
    out.push((o) => (delete o.props[p], `drop ${p}`));
    out.push((o) => {
      const a = o.props[p]!;
      return a.kind === 'int' ? ((o.props[p] = intAttr(a.value + 3n, a.type)), `bump ${p}`) : undefined;
    });
  }
  op.operands.forEach((_, j) => {
    out.push((o) => {
      if (j + 1 >= o.operands.length) return undefined;
      const [a, b] = [o.operands[j]!, o.operands[j + 1]!];
      o.setOperand(j, b);
      o.setOperand(j + 1, a);
      return `swap operands ${j}, ${j + 1}`;
    });
    out.push((o) => {
      let root = o;
      while (root.parentOp) root = root.parentOp;
      const values = [...root.walk()].flatMap((x) => x.results);
      const v = values[(k * 7919 + j * 104729) % Math.max(1, values.length)];
      return !v || v === o.operands[j] ? undefined : (o.setOperand(j, v), `operand #${j} to another value`);
    });
  });
  return out;
}

test('verifier and mlir-opt agree on mutants of the valid programs', { skip: !mlirOptPath() && 'mlir-opt not found' }, () => {
  const generic = toGeneric(Object.values(PROGRAMS));
  const perName = new Map<string, number>();
  const cases: { desc: string; text: string; ours: string[] }[] = [];
  for (const g of generic) {
    const ops = [...parseModule(g).walk()];
    ops.forEach((op, k) => {
      if (op.name === 'builtin.module' || op.name === 'func.func') return;
      const muts = mutations(op, k);
      for (let t = 0; t < muts.length && (perName.get(op.name) ?? 0) < PER_OP; t++) {
        const mutate = muts[(k + t) % muts.length]!;
        const m = parseModule(g);
        const target = [...m.walk()][k]!;
        const desc = mutate(target);
        if (!desc || KNOWN_CRASHES.includes(`${op.name}: ${desc}`)) continue;
        perName.set(op.name, (perName.get(op.name) ?? 0) + 1);
        cases.push({ desc: `${op.name} #${k}: ${desc}`, text: printOp(m), ours: verifyModule(m).map((e) => e.message) });
      }
    });
  }
  assert.ok(cases.length > 300, `only ${cases.length} mutants`);
  const theirs = mlirOptErrors(cases.map((c) => c.text));
  const weAccept: string[] = [];
  const weReject: string[] = [];
  cases.forEach((c, k) => {
    const ours = c.ours.length > 0;
    const mlir = theirs[k]!.length > 0;
    if (!ours && mlir) weAccept.push(`${c.desc}: mlir-opt says ${theirs[k]![0]}`);
    if (ours && !mlir && !STRICTER.some((re) => re.test(c.ours[0]!))) weReject.push(`${c.desc}: we say ${c.ours[0]}`);
  });
  assert.deepEqual(weAccept, [], 'mutants mlir-opt rejects but the verifier accepts');
  assert.deepEqual(weReject, [], 'mutants the verifier rejects for a rule MLIR does not have');
});
