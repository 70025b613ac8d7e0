// One small hand-written program per UB kind (fixtures/interpreter/ub): the exact kind and op must come back.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseModule } from '../../ir/parser/index.ts';
import { runMain } from '../../reference/index.ts';
import { genericForms, loadFixtures, mainInputs } from './fixtures.ts';

const fixtures = loadFixtures('ub');

describe('UB detection', () => {
  for (const f of fixtures) {
    const header = /^\/\/ (UB: (\S+) (\S+)|HANG)/.exec(f.text);
    test(f.name, () => {
      assert.ok(header, `${f.name} needs a '// UB: <kind> <op>' or '// HANG' first line`);
      const r = runMain(f.module, mainInputs(f.module), { stepBudget: 100_000 });
      if (header[1] === 'HANG') {
        assert.equal(r.kind, 'hang');
        return;
      }
      assert.equal(r.kind, 'ub', JSON.stringify(r));
      if (r.kind !== 'ub') return;
      assert.equal(r.ub, header[2]);
      assert.equal(r.op, header[3]);
      assert.ok(r.message.length > 0);
      if (r.op !== 'func.return' && r.op !== 'func.call') assert.ok(r.loc, 'the location of the offending op');
    });
  }

  test('allocas released when their function returns do not add up to a stack overflow', () => {
    const module = parseModule(genericForms([`func.func private @one(%out: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %x = arith.constant 1.0 : f32
  %a = memref.alloca() : memref<32768xf32>
  memref.store %x, %a[%c0] : memref<32768xf32>
  %v = memref.load %a[%c0] : memref<32768xf32>
  memref.store %v, %out[%c0] : memref<1xf32>
  return
}
func.func @main(%out: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.for %i = %c0 to %c64 step %c1 {
    func.call @one(%out) : (memref<1xf32>) -> ()
  }
  return
}`])[0]!);
    const r = runMain(module, mainInputs(module), { stepBudget: 100_000 });
    assert.equal(r.kind, 'ok', JSON.stringify(r).slice(0, 300));
  });

  test('covers every UB kind', async () => {
    const src = await import('node:fs').then((fs) => fs.readFileSync(new URL('../../reference/ub.ts', import.meta.url), 'utf8'));
    const kinds = [...src.matchAll(/^ {2}\| '([a-z0-9-]+)'/gm)].map((m) => m[1]!);
    assert.ok(kinds.length >= 15);
    const covered = new Set(fixtures.map((f) => /^\/\/ UB: (\S+)/.exec(f.text)?.[1]));
    assert.deepEqual(
      kinds.filter((k) => !covered.has(k)),
      [],
    );
  });
});
