// The laws every IR mutator obeys (the shared program laws, STYLE: ArbitraryAssertions): on seeded trials over
// generated programs it changes the program, never touches its input, replays from its seed, and what it returns
// verifies, is accepted by real mlir-opt, and runs UB-free in the reference interpreter on two input seeds.
import assert from 'node:assert/strict';
import { fillInputs } from '../../ir/entry-abi.ts';
import { verifyModule } from '../../ir/verifier.ts';
import { DEFAULT_WEIGHTS, generateFromSeed, programSeed, programText } from '../../mutators/generate/index.ts';
import { Rand } from '../../mutators/generate/rand.ts';
import type { IrMutator, IrProgram } from '../../mutators/ir/mutator.ts';
import { runMain } from '../../reference/index.ts';
import { runMlirOpt } from '../../targets/mlir/mlir-opt.ts';

export type MutatorLawOptions = {
  readonly trials?: number;
  readonly seed?: number;
  /** The least share of trials on which the mutator must apply. */
  readonly minApplied?: number;
  /** Programs to mutate; default: small generated programs. */
  readonly programs?: (k: number) => IrProgram;
};

const smallProgram = (seed: number) => (k: number) => generateFromSeed(programSeed(seed, k), { mainOps: [10, 40], maxCallees: 2 });

/** Checks the laws and returns the mutated texts, for tests that assert more. */
export async function assertMutatorLaws(m: IrMutator, opts: MutatorLawOptions = {}): Promise<string[]> {
  const trials = opts.trials ?? 100;
  const seed = opts.seed ?? 1;
  const programAt = opts.programs ?? smallProgram(seed);
  const outputs: string[] = [];
  for (let k = 0; k < trials; k++) {
    const input = programAt(k);
    const before = programText(input);
    const ctx = (s: number) => ({ random: Rand.seeded(s), weights: DEFAULT_WEIGHTS, donor: () => programAt(k + 1) });
    const out = m.mutate(input, ctx(programSeed(seed, 1000 + k)));
    assert.equal(programText(input), before, `${m.name} modified its input (trial ${k})`);
    if (!out) continue;
    const text = programText(out);
    assert.notEqual(text, before, `${m.name} returned an unchanged program (trial ${k})`);
    assert.deepEqual(verifyModule(out.module).map((e) => e.format()), [], `${m.name}: output fails our verifier (trial ${k})\n${text}`);
    const again = m.mutate(programAt(k), ctx(programSeed(seed, 1000 + k)));
    assert.equal(again && programText(again), text, `${m.name} is not deterministic under its seed (trial ${k})`);
    for (const inputSeed of [0, 1]) {
      const r = runMain(out.module, fillInputs(out.args, inputSeed, 64));
      assert.equal(r.kind, 'ok', `${m.name}: output is not UB-free (trial ${k}, input seed ${inputSeed}): ${JSON.stringify(r)}\n--- before\n${before}\n--- after\n${text}`);
    }
    outputs.push(text);
  }
  const minApplied = opts.minApplied ?? 0.3;
  assert.ok(outputs.length >= minApplied * trials, `${m.name} applied on ${outputs.length} of ${trials} trials (at least ${minApplied * trials} expected)`);
  const results = await runMlirOpt(outputs, []);
  results.forEach((r, k) => assert.equal(r.kind, 'ok', `${m.name}: mlir-opt rejected output ${k}: ${JSON.stringify(r).slice(0, 800)}\n${outputs[k]}`));
  return outputs;
}
