// Findings made the way a campaign makes them: a real program run through the real check unit (reference, mlir-opt
// and the backend, default oracles), then stored with its case as cli/fuzz-store.ts stores it. Programs from
// fixtures are in MLIR's custom syntax; mlir-opt turns them into the generic form the fuzzer stores.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkCases } from '../../check/check-cases.ts';
import type { TestCase } from '../../contracts/case.ts';
import type { FindingKind } from '../../contracts/oracle.ts';
import { openCorpus } from '../../corpus/index.ts';
import { entryArgs, entryBuffer } from '../../ir/entry-abi.ts';
import { parseModule } from '../../ir/parser/index.ts';
import { printOp } from '../../ir/printer.ts';
import { defaultOracles } from '../../oracles/index.ts';
import { mlirCatalog } from '../../targets/mlir/target.ts';
import { createExecutor, reference } from '../../targets/registry.ts';
import { genericForms } from '../helpers/toolchain.ts';
export { cli } from '../helpers/cli.ts';

export type RealFinding = { readonly program: string; readonly pipeline: string; readonly kind: FindingKind; readonly backends?: readonly string[]; readonly inputSeed?: number };

/** The program as the fuzzer stores it: tcfuzz's own generic printing. */
export function storedText(program: string): string {
  return printOp(parseModule(genericForms([program])[0]!));
}

/** Runs the case, asserts it gives a finding of `kind`, stores it in `db` (created) under a campaign; its id. */
export async function recordRealFinding(db: string, f: RealFinding): Promise<number> {
  const text = storedText(f.program);
  const module = parseModule(text);
  const backends = f.backends ?? ['native'];
  const kase: TestCase = {
    name: 'real-finding',
    program: { text, entry: { name: 'main', args: entryArgs(module).map(entryBuffer) }, ir: module },
    pipeline: mlirCatalog.parse(f.pipeline),
    inputSeed: f.inputSeed ?? 1,
  };
  const executors = backends.map(createExecutor);
  let found;
  try {
    for await (const r of checkCases([kase], { reference, executors, oracles: defaultOracles(mlirCatalog) })) found = r.findings.find((x) => x.kind === f.kind);
  } finally {
    await Promise.all(executors.map((e) => e.close()));
  }
  assert.ok(found, `no ${f.kind} finding from the case`);
  const corpus = openCorpus(db, { create: true });
  try {
    const toolchain = { tcfuzz: '0.1.0', toolchain: '22.1.8' };
    const campaign = corpus.startCampaign({ seed: 1, config: { backends }, toolchain });
    const c = corpus.storeCase({ text, pipeline: mlirCatalog.print(kase.pipeline), inputSeed: kase.inputSeed, campaign });
    return corpus.recordFinding({ ...found, toolchain }, { case: c, campaign }).id;
  } finally {
    corpus.close();
  }
}

/** A program of fixtures/backends/bugs/. */
export const bug = (name: string): string => readFileSync(new URL(`../../fixtures/backends/bugs/${name}.mlir`, import.meta.url), 'utf8');


/** The SIGFPE in affine-loop-unroll's zero-trip loop, among ops that have nothing to do with it. */
export const PADDED_UNROLL_CRASH = `func.func @helper(%x: f32) -> f32 {
  %y = arith.mulf %x, %x : f32
  return %y : f32
}
func.func @main(%m: memref<4xf32>, %n: memref<8xi32>) {
  %c = arith.constant 1.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %k = arith.constant 3 : i32
  scf.for %i = %c0 to %c8 step %c1 {
    %v = memref.load %n[%i] : memref<8xi32>
    %w = arith.addi %v, %k : i32
    %u = arith.muli %w, %k : i32
    memref.store %u, %n[%i] : memref<8xi32>
  }
  %f = memref.load %m[%c1] : memref<4xf32>
  %g = func.call @helper(%f) : (f32) -> f32
  memref.store %g, %m[%c1] : memref<4xf32>
  affine.for %i = 0 to 0 {
    affine.store %c, %m[%i] : memref<4xf32>
  }
  affine.for %j = 0 to 4 {
    %h = affine.load %m[%j] : memref<4xf32>
    %s = arith.addf %h, %c : f32
    affine.store %s, %m[%j] : memref<4xf32>
  }
  return
}
`;
export const UNROLL = 'affine-loop-unroll{unroll-up-to-factor=true}';
export const PADDED_UNROLL_PIPELINE = `builtin.module(cse,func.func(loop-invariant-code-motion,${UNROLL}),sccp,canonicalize)`;
