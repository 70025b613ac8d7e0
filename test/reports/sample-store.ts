// A small store made through the Corpus API on a pinned clock, whose report every test here can work out by hand:
// three campaigns (the third without a sample yet), a case kept by two pools, a culled seed, a finding seen twice,
// one with a reduced reproducer, and text that would be markup in HTML or markdown.
import type { FindingRecord } from '../../contracts/corpus.ts';
import { openCorpus } from '../../corpus/index.ts';

/** Generic form, as campaigns store programs: read by tcfuzz's parser. */
export const GENERIC = `// addi{n=4}
"builtin.module"() ({
  "func.func"() <{function_type = (memref<4xi32>) -> (), sym_name = "main"}> ({
  ^bb0(%m: memref<4xi32>):
    %c0 = "arith.constant"() <{value = 0 : index}> : () -> index
    %v = "memref.load"(%m, %c0) : (memref<4xi32>, index) -> i32
    %w = "arith.addi"(%v, %v) : (i32, i32) -> i32
    "memref.store"(%w, %m, %c0) : (i32, memref<4xi32>, index) -> ()
    "func.return"() : () -> ()
  }) : () -> ()
}) : () -> ()
`;

/** Custom syntax, which tcfuzz's parser refuses; the scan finds its ops (all but `return`, which names no dialect). */
export const CUSTOM = `func.func @main(%m: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %v = memref.load %m[%c0] : memref<4xf32>
  %w = arith.mulf %v, %v : f32
  memref.store %w, %m[%c0] : memref<4xf32>
  return
}
`;

export const PIPELINE_A = 'builtin.module(func.func(cse,canonicalize{max-iterations=2}),inline)';
export const PIPELINE_B = 'builtin.module(func.func(cse))';
export const HOSTILE_DETAIL = 'Assertion `a|b` failed in <script>alert(1)</script> *here*\nsecond line';

/** The first timestamp of the store; every write then takes the next millisecond. */
export const T0 = Date.UTC(2025, 0, 2, 3, 4, 5);

export function sampleStore(path: string): void {
  let t = T0;
  const c = openCorpus(path, { create: true, now: () => t++ });
  const first = c.startCampaign({ seed: 7, config: { jobs: 1 }, toolchain: { 'mlir-opt': '22.1.8' } });
  const second = c.startCampaign({ seed: 8, config: {}, toolchain: {} });
  c.startCampaign({ seed: 9, config: {}, toolchain: {} });
  const a = c.storeCase({ text: GENERIC, pipeline: PIPELINE_A, inputSeed: 1, campaign: first });
  const b = c.storeCase({ text: CUSTOM, pipeline: PIPELINE_B, inputSeed: 2, campaign: first });
  const culled = c.storeCase({ text: GENERIC, pipeline: PIPELINE_B, inputSeed: 3, campaign: first });
  c.addSeed({ campaign: first, case: a, features: [1, 1] });
  c.addSeed({ campaign: first, case: b, features: [2, 1] });
  c.cullSeeds([c.addSeed({ campaign: first, case: culled, features: [3, 1] })]);
  c.addSeed({ campaign: second, case: a, features: [1, 1] });
  c.markCampaign(first, 'done');
  c.markCampaign(second, 'interrupted');
  c.addStats(first, { t: 5000, cases: 10, features: 100, seeds: 2, findingsByKind: { crash: 1 }, ubDiscarded: 1, casesPerS: 2 });
  c.addStats(first, { t: 10_000, cases: 30, features: 150, seeds: 2, findingsByKind: { crash: 1, miscompile: 1 }, ubDiscarded: 2, casesPerS: 3 });
  c.addStats(second, { t: 4000, cases: 12, features: 80, seeds: 1, findingsByKind: { crash: 1 }, ubDiscarded: 0, casesPerS: 3 });
  const crash: FindingRecord = {
    kind: 'crash', executor: 'native', tool: 'mlir-opt', pass: 'canonicalize', frames: ['mlir::Foo::bar'], agreeing: ['wasm'],
    detail: HOSTILE_DETAIL, signature: 'crash|mlir-opt|canonicalize|Assertion',
  };
  c.recordFinding(crash, { case: a, campaign: first });
  c.recordFinding(crash, { case: a, campaign: second });
  const miscompile = c.recordFinding({
    kind: 'miscompile', executor: 'wasm', tool: 'v8', pass: 'cse', op: 'arith.addi', frames: [], agreeing: [], matchingReference: ['native'],
    detail: 'buffer 0 [0]: 2 vs 4', signature: 'miscompile|wasm|cse|arith.addi',
  }, { case: culled, campaign: first });
  c.updateFinding(miscompile.id, { status: 'confirmed', reducedCase: b });
  c.close();
}
