// Laws every program source (the generator now, mutators later) must obey, checked in one place:
// the output verifies, real mlir-opt accepts it, the same seed gives the same program, and the reference
// interpreter runs it to completion without UB on several inputs (UB avoided by construction, DESIGN §5).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runMlirOpt } from '../../targets/mlir/mlir-opt.ts';
import { runMain } from '../../reference/index.ts';
import { verifyModule } from '../../ir/verifier.ts';
import { fillInputs } from '../../ir/entry-abi.ts';
import type { GeneratedProgram } from '../../mutators/generate/index.ts';
import { programText } from '../../mutators/generate/index.ts';

export async function assertProgramLaws(arb: fc.Arbitrary<GeneratedProgram>, opts: { numRuns: number; seed: number }): Promise<void> {
  const texts: string[] = [];
  fc.assert(
    fc.property(arb, (p) => {
      const errors = verifyModule(p.module);
      assert.deepEqual(errors.map((e) => e.format()), [], 'generated program fails our verifier');
      texts.push(programText(p));
      for (const inputSeed of [0, 1]) {
        // At a 64-bit index everything runs; at 32 only index.sizeof may be unportable (it is 32 there, 64 natively).
        for (const indexBits of [64, 32] as const) {
          const r = runMain(p.module, fillInputs(p.args, inputSeed, 64), { indexBits });
          if (indexBits === 32 && r.kind === 'ub' && r.ub === 'index-range' && r.op === 'index.sizeof') continue;
          assert.equal(r.kind, 'ok', `input seed ${inputSeed}, ${indexBits}-bit index: ${r.kind === 'ok' ? '' : JSON.stringify({ ...r, stdout: undefined }).slice(0, 600)}`);
        }
      }
    }),
    { numRuns: opts.numRuns, seed: opts.seed },
  );
  // Determinism: replaying the same seed gives byte-identical programs.
  const again = fc.sample(arb, { numRuns: opts.numRuns, seed: opts.seed }).map(programText);
  assert.deepEqual(again, texts, 'same seed, different programs');
  const results = await runMlirOpt(texts, []);
  results.forEach((r, k) => assert.equal(r.kind, 'ok', `mlir-opt rejected program ${k}: ${JSON.stringify(r).slice(0, 800)}\n${texts[k]}`));
}
