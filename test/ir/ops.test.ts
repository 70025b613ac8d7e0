// The op specs against mlir-opt: hand-written programs that use every registered op must be accepted by
// mlir-opt and by our verifier, and every op name we register must be one mlir-opt knows.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Operation } from '../../ir/core.ts';
import { arity } from '../../ir/ops/constraints.ts';
import { allOps, lookupOp } from '../../ir/ops/index.ts';
import { parseModule } from '../../ir/parser/index.ts';
import { printOp } from '../../ir/printer.ts';
import { verifyModule } from '../../ir/verifier.ts';
import { mlirOptErrors, toGeneric } from './ops-harness.ts';
import { mlirOptPath } from '../helpers/toolchain.ts';
import { PROGRAMS } from './ops-programs.ts';

const have = mlirOptPath() !== undefined;

describe('op specs', () => {
  test('spec groups are consistent', () => {
    for (const s of allOps()) {
      const names = [...s.operands, ...s.results].map((g) => g.name);
      assert.equal(new Set(names).size, names.length, `${s.name}: value group names must be unique`);
      for (const list of [...(s.sameType ?? []), ...(s.sameShape ?? [])]) for (const n of list) assert.ok(names.includes(n), `${s.name}: unknown group ${n}`);
      if (Array.isArray(s.successorOperands)) for (const n of s.successorOperands) assert.ok(names.includes(n), `${s.name}: unknown group ${n}`);
      for (const [groups, trait] of [[s.operands, 'attr-sized-operands'], [s.results, 'attr-sized-results']] as const) {
        if (!s.traits?.includes(trait)) assert.ok(groups.filter((g) => arity(g) !== 'single').length <= 1, `${s.name}: several variable groups need ${trait}`);
      }
      for (const n of [...(s.terminators ?? []), ...(s.parents ?? [])]) assert.ok(lookupOp(n), `${s.name}: ${n} is not registered`);
      for (const n of s.terminators ?? []) assert.ok(lookupOp(n)!.traits?.includes('terminator'), `${s.name}: ${n} is not a terminator`);
    }
  });

  test('every registered op name is known to mlir-opt', { skip: !have && 'mlir-opt not found' }, () => {
    const names = allOps().map((s) => s.name);
    const errors = mlirOptErrors(names.map((n) => `"${n}"() : () -> ()`));
    const unknown = names.filter((_, k) => errors[k]!.some((e) => e.includes('unregistered operation')));
    assert.deepEqual(unknown, []);
  });

  describe('hand-written programs: mlir-opt accepts them, and so does the verifier', { skip: !have && 'mlir-opt not found' }, () => {
    const parsed = new Map<string, Operation>();
    const generic = have ? toGeneric(Object.values(PROGRAMS)) : [];
    for (const [k, name] of Object.keys(PROGRAMS).entries()) {
      test(name, () => {
        const m = parseModule(generic[k]!, `${name}.mlir`);
        parsed.set(name, m);
        assert.deepEqual(
          verifyModule(m).map((e) => e.format()),
          [],
        );
      });
    }

    test('together they use every registered op', () => {
      assert.equal(parsed.size, Object.keys(PROGRAMS).length, 'every program parsed');
      const seen = new Set<string>();
      for (const m of parsed.values()) for (const op of m.walk()) seen.add(op.name);
      assert.deepEqual(
        allOps()
          .map((s) => s.name)
          .filter((n) => !seen.has(n)),
        [],
      );
    });

    test('our printer round-trips them through mlir-opt', () => {
      const names = [...parsed.keys()];
      const errors = mlirOptErrors(names.map((n) => printOp(parsed.get(n)!)));
      assert.deepEqual(
        names.map((n, k) => [n, errors[k]]),
        names.map((n) => [n, []]),
      );
    });
  });
});
