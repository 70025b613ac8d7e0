// Shared by the structural mutator tests: parse a small hand-written program, and collect every distinct output
// a mutator gives on it over many seeds (Stryker's exact-set-of-mutants check).
import assert from 'node:assert/strict';
import { fillInputs } from '../../../ir/entry-abi.ts';
import { parseModule } from '../../../ir/parser/index.ts';
import type { MemRefType } from '../../../ir/types.ts';
import { verifyModule } from '../../../ir/verifier.ts';
import { DEFAULT_WEIGHTS, programSeed, programText } from '../../../mutators/generate/index.ts';
import { Rand } from '../../../mutators/generate/rand.ts';
import type { IrMutator, IrProgram } from '../../../mutators/ir/mutator.ts';
import { runMain } from '../../../reference/index.ts';

/** A program from generic-form text; @main's argument types become the program's buffers. */
export function parseProgram(text: string): IrProgram {
  const module = parseModule(text);
  const main = module.regions[0]!.blocks[0]!.ops.find((o) => o.props.sym_name?.kind === 'string' && o.props.sym_name.value === 'main')!;
  return { module, args: main.regions[0]!.blocks[0]!.args.map((a) => a.type as MemRefType) };
}

/** Every distinct output over `seeds` seeds; each one verifies and runs UB-free. */
export function mutateAll(m: IrMutator, p: IrProgram, seeds: number, donor?: () => IrProgram): Set<string> {
  const outs = new Set<string>();
  for (let s = 0; s < seeds; s++) {
    const out = m.mutate(p, { random: Rand.seeded(programSeed(1, s)), weights: DEFAULT_WEIGHTS, ...(donor && { donor }) });
    if (!out) continue;
    const text = programText(out);
    assert.deepEqual(verifyModule(out.module).map((e) => e.format()), [], text);
    const r = runMain(out.module, fillInputs(out.args, 0, 64));
    assert.equal(r.kind, 'ok', `${JSON.stringify(r)}\n${text}`);
    outs.add(text);
  }
  return outs;
}

/** The op names of @main's body in order (nested ops included), one string per output: what a mutant changed. */
export function opNames(text: string): string {
  return [...text.matchAll(/"([a-z_]+\.[a-z_.]+)"/g)].map((m) => m[1]).filter((n) => n !== 'builtin.module' && n !== 'func.func').join(' ');
}

/** `@main(%m: memref<2xi32>)` around `body`, with %c0/%c1 (index) and %a/%b (the two loaded elements) defined. */
export function mainWith(body: string): IrProgram {
  return parseProgram(`"builtin.module"() ({
  "func.func"() <{function_type = (memref<2xi32>) -> (), sym_name = "main"}> ({
  ^bb0(%m: memref<2xi32>):
    %c0 = "arith.constant"() <{value = 0 : index}> : () -> index
    %c1 = "arith.constant"() <{value = 1 : index}> : () -> index
    %a = "memref.load"(%m, %c0) : (memref<2xi32>, index) -> i32
    %b = "memref.load"(%m, %c1) : (memref<2xi32>, index) -> i32
${body}
    "func.return"() : () -> ()
  }) : () -> ()
}) : () -> ()`);
}
