// The interpreter on the fuzzer's own input: generated programs never crash it, never hit an op it lacks,
// and each run is deterministic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillBuffer } from '../../ir/inputs.ts';
import { compileModule, runCompiled } from '../../reference/index.ts';
import { generateFromSeed, programSeed } from '../../mutators/generate/index.ts';

test('generated programs run to a well-defined outcome, deterministically', (t) => {
  const kinds: Record<string, number> = {};
  const ops = new Set<string>();
  for (let k = 0; k < 150; k++) {
    const g = generateFromSeed(programSeed(99, k));
    const inputs = g.args.map((a, i) => fillBuffer(a, 5, i));
    const prog = compileModule(g.module);
    const r = runCompiled(prog, inputs);
    const key = r.kind === 'ub' ? `ub:${r.ub}` : r.kind;
    kinds[key] = (kinds[key] ?? 0) + 1;
    assert.notEqual(r.kind, 'unsupported', `program ${k}: ${JSON.stringify(r)}`);
    const again = runCompiled(prog, inputs);
    assert.deepEqual(again, r, `program ${k} is not deterministic`);
    if (r.kind === 'ok') r.opsExecuted.forEach((o) => ops.add(o));
  }
  t.diagnostic(`outcomes ${JSON.stringify(kinds)}, ${ops.size} distinct ops executed`);
  assert.ok((kinds['ok'] ?? 0) >= 140);
  assert.ok(ops.size >= 50);
});
