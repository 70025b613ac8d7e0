// `npm run bench`: throughput of each stage on generated programs (generation, parsing, the reference, each
// executor one program per call and batched, and the whole differential check), plus the executors on the
// hand-written fixtures. Figures only, no assertions: they depend on the machine and on what else it is running.
// Programs, cases and executors come the way `tcfuzz check` gets them, so the figures are the command's.
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { TestCase } from '../contracts/case.ts';
import type { Executor } from '../contracts/target.ts';
import { checkCases } from '../check/check-cases.ts';
import type { ExecItem } from '../check/execute.ts';
import { execute } from '../check/execute.ts';
import { CheckSummary } from '../check/summary.ts';
import { testCase } from '../cli/check.ts';
import { expandPaths, formatInvalid, loadPrograms } from '../cli/program-files.ts';
import { bufferMemRef, fillInputs } from '../ir/entry-abi.ts';
import { parseModule } from '../ir/parser/index.ts';
import { generateFromSeed, programSeed, programText } from '../mutators/generate/index.ts';
import { DEFAULT_ORACLES } from '../oracles/index.ts';
import { backendNames, createExecutor, parseBackendList, reference } from '../targets/registry.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'backends', 'programs');
const INPUT_SEEDS = [1, 2, 3, 4];
const BATCHES = [16, 32];
const UNBATCHED = 12;
const BENCH_SEED = 2026;
const N = Number(process.env.TCFUZZ_BENCH_PROGRAMS ?? 64);
/** What the whole-check figure runs: the command's default backends. */
const CHECK_BACKENDS = 'interp,native,wasm';

const rate = (n: number, t0: number): string => (n / ((performance.now() - t0) / 1000)).toFixed(1);

function items(cases: readonly TestCase[], e: Executor, seeds: readonly number[]): ExecItem[] {
  return seeds.flatMap((seed) =>
    cases.map((c) => ({ program: c.program, inputs: fillInputs(c.program.entry.args.map(bufferMemRef), seed, e.limits.indexBits) })),
  );
}

async function measure(name: string, cases: readonly TestCase[], seeds: readonly number[] = INPUT_SEEDS): Promise<void> {
  const e = createExecutor(name);
  try {
    const reason = e.unavailableReason();
    if (reason) {
      console.log(`${name.padEnd(14)} unavailable: ${reason.split('\n')[0]}`);
      return;
    }
    const all = items(cases, e, seeds);
    await execute(e, all.slice(0, 1)); // start helper processes outside the clock

    let t = performance.now();
    const one = all.slice(0, Math.min(cases.length, UNBATCHED)); // one compile per program: slow, so a sample
    let ok = 0;
    for (const it of one) if ((await execute(e, [it]))[0]!.kind === 'ok') ok++;
    const unbatched = one.length / ((performance.now() - t) / 1000);

    const batched: string[] = [];
    for (const size of BATCHES) {
      t = performance.now();
      let okBatched = 0;
      for (let k = 0; k < all.length; k += size) okBatched += (await execute(e, all.slice(k, k + size))).filter((o) => o.kind === 'ok').length;
      batched.push(`batched ×${size} ${rate(all.length, t).padStart(7)} programs/s (${okBatched}/${all.length} ok)`);
    }
    console.log(`${name.padEnd(14)} unbatched ${unbatched.toFixed(2).padStart(6)} programs/s (${ok}/${one.length} ok)   ${batched.join('   ')}`);
  } finally {
    await e.close();
  }
}

/** The front half of a fuzzing step, on N generated programs: generate, print, parse, run the reference. */
function frontEnd(n: number): TestCase[] {
  let t0 = performance.now();
  const generated = Array.from({ length: n }, (_, k) => generateFromSeed(programSeed(BENCH_SEED, k)));
  const genRate = rate(n, t0);
  const texts = generated.map(programText);
  const mb = texts.reduce((a, t) => a + t.length, 0) / 1e6;
  const cases = generated.map((p, k) => testCase({ file: `gen:${BENCH_SEED}:${k}`, text: texts[k]!, module: p.module, args: p.args }, [], 0));
  const runReference = (c: TestCase, k: number): boolean =>
    reference.run(c.program, fillInputs(generated[k]!.args, c.inputSeed, reference.layout.indexBits), { limits: reference.layout }).kind === 'ok';
  // Warm up the JIT first: the figures are for a long campaign, not for the first few programs.
  for (let round = 0; round < 2; round++) texts.forEach((t) => parseModule(t));
  cases.slice(0, 8).forEach(runReference);
  t0 = performance.now();
  texts.forEach((t) => parseModule(t));
  const parseSecs = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const ok = cases.filter(runReference).length;
  const refRate = rate(n, t0);
  console.log(`generate      ${genRate.padStart(7)} programs/s`);
  console.log(`parse         ${(n / parseSecs).toFixed(1).padStart(7)} programs/s (${(mb / parseSecs).toFixed(1)} MB/s)`);
  console.log(`${reference.name.padEnd(13)} ${refRate.padStart(7)} programs/s (${ok}/${n} ok)`);
  return cases;
}

const executorNames = backendNames().filter((n) => n !== reference.name);
console.log(`bench: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`\n-- ${N} generated programs (seed ${BENCH_SEED})`);
const generated = frontEnd(N);
for (const name of executorNames) await measure(name, generated, [1]);

const executors = parseBackendList(CHECK_BACKENDS).filter((n) => n !== reference.name).map(createExecutor);
const unavailable = executors.filter((e) => e.unavailableReason());
if (unavailable.length) console.log(`check: skipped, ${unavailable.map((e) => e.name).join(', ')} unavailable`);
else {
  const t0 = performance.now();
  const summary = new CheckSummary();
  for await (const r of checkCases(generated, { reference, executors, oracles: DEFAULT_ORACLES })) summary.onCaseChecked(r);
  summary.onEnd();
  console.log(`check (${CHECK_BACKENDS}) ${rate(N, t0)} checked programs/s (agree ${summary.report.agree}/${N})`);
}
await Promise.all(executors.map((e) => e.close()));

const { programs } = await loadPrograms(expandPaths([FIXTURES]).files, (i) => console.log(formatInvalid(i)));
console.log(`\n-- ${programs.length} hand-written fixtures`);
const fixtures = programs.map((p) => testCase(p, [], 0));
for (const name of executorNames) await measure(name, fixtures);

// Coverage (DESIGN §8): what counting features costs mlir-opt on a batch of generated modules through a 6-pass
// pipeline, alone and with the native lowering suffix (what `coverageFrom` pays per case): by the coverage plugin,
// and by the action log it replaced, with the log parser's share.
{
  const { runMlirOpt, SPLIT_MARKER } = await import('../targets/mlir/mlir-opt.ts');
  const { ActionLogSplitter } = await import('../targets/mlir/action-log.ts');
  const { coverageSource } = await import('../targets/mlir/coverage-plugin/index.ts');
  const { parsePipeline, passPipelineArg } = await import('../targets/mlir/passes/pipeline.ts');
  const { NATIVE_SUFFIX } = await import('../targets/mlir/passes/lowering.ts');
  const { findToolchain } = await import('../targets/mlir/toolchain.ts');
  const { runTool } = await import('../exec/tool-driver.ts');
  const n = Number(process.env.TCFUZZ_BENCH_COVERAGE_PROGRAMS ?? 300);
  const texts = Array.from({ length: n }, (_, k) => programText(generateFromSeed(programSeed(BENCH_SEED + 1, k))));
  const six = parsePipeline('builtin.module(canonicalize,cse,func.func(affine-loop-unroll),loop-invariant-code-motion,sccp,symbol-dce)');
  const source = await coverageSource(findToolchain());
  console.log(`\n-- coverage: ${n} generated modules, one mlir-opt (${source.kind === 'plugin' ? 'plugin loaded' : `no plugin: ${source.reason}`})`);
  const seconds = async (pipeline: Parameters<typeof runMlirOpt>[1], coverage?: boolean | 'log') => {
    const t0 = performance.now();
    const r = await runMlirOpt(texts, pipeline, coverage === undefined ? {} : { coverage });
    return { s: (performance.now() - t0) / 1000, perModule: r.reduce((a, x) => a + (x.features?.size ?? 0), 0) / n };
  };
  for (const [label, p] of [['6 passes', six], ['6 + native suffix', [...six, ...NATIVE_SUFFIX]]] as const) {
    const plain = await seconds(p);
    const plugin = await seconds(p, true);
    const logged = await seconds(p, 'log');
    // The parser's share: the same log captured whole, then parsed in 64 KiB chunks as a pipe delivers it.
    const tool = await runTool({
      cmd: findToolchain().path('mlir-opt'),
      args: [`--split-input-file=${SPLIT_MARKER}`, `--output-split-marker=${SPLIT_MARKER}`, '--mlir-print-local-scope', '--mlir-disable-threading', '--log-actions-to=-', '--mlir-print-op-generic', passPipelineArg(p), '-'],
      stdin: texts.join(SPLIT_MARKER + '\n'),
      stdoutBinary: true,
      maxOutputBytes: 1 << 30,
      timeoutMs: 600_000,
    });
    const bytes = tool.stdoutBytes ?? Buffer.alloc(0);
    const parser = new ActionLogSplitter(SPLIT_MARKER);
    for (let i = 0; i < bytes.length; i += 1 << 16) parser.push(bytes.subarray(i, i + (1 << 16)));
    parser.finish();
    const rate = (x: { s: number }) => `${(n / x.s).toFixed(1)} modules/s (${(x.s / plain.s).toFixed(2)}×)`;
    console.log(
      `coverage ${label.padEnd(18)} ${(n / plain.s).toFixed(1)} modules/s without coverage; plugin ${rate(plugin)}; log ${rate(logged)},` +
        ` ${(bytes.length / 1e6).toFixed(1)} MB, parse ${parser.parseMs.toFixed(0)} ms; ${plugin.perModule.toFixed(0)} features/module`,
    );
  }
}

// The fuzz campaign's stages (DESIGN §1): mutation (IR mutators, printing included), the oracles on finished runs,
// and a short real campaign end to end with its time by stage. Interpretation, mlir-opt with coverage, lowering
// and runs are the lines above.
{
  const { mutateProgram } = await import('../mutators/ir/registry.ts');
  const { Rand } = await import('../mutators/generate/rand.ts');
  const { DEFAULT_WEIGHTS } = await import('../mutators/generate/index.ts');
  const { seedPrograms } = await import('../seeds/index.ts');
  const { entryArgs } = await import('../ir/entry-abi.ts');
  const { main } = await import('../cli/main.ts');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  console.log('\n-- fuzz stages');
  const pool = seedPrograms().map((s) => {
    const module = parseModule(s.text);
    return { module, args: entryArgs(module) };
  });
  let t0 = performance.now();
  let made = 0;
  for (let k = 0; performance.now() - t0 < 3000; k++) {
    const m = mutateProgram(pool[k % pool.length]!, { random: Rand.seeded(programSeed(BENCH_SEED, k)), weights: DEFAULT_WEIGHTS }, 2);
    if (m) programText(m.program);
    made++;
  }
  console.log(`mutate        ${rate(made, t0).padStart(7)} mutants/s (2 IR mutators each, printed)`);
  const results = [];
  const fuzzExecutors = parseBackendList(CHECK_BACKENDS).filter((n) => n !== reference.name).map(createExecutor);
  if (!fuzzExecutors.some((e) => e.unavailableReason())) for await (const r of checkCases(generated, { reference, executors: fuzzExecutors, oracles: [] })) results.push(r);
  await Promise.all(fuzzExecutors.map((e) => e.close()));
  t0 = performance.now();
  let judged = 0;
  for (; performance.now() - t0 < 1000; ) for (const r of results) if (r.reference.kind === 'ok') (DEFAULT_ORACLES.forEach((o) => o.judge(r)), judged++);
  console.log(`compare       ${rate(judged, t0).padStart(7)} cases/s (every default oracle)`);
  const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-bench-'));
  let out = '';
  const iterations = Number(process.env.TCFUZZ_BENCH_FUZZ_ITERATIONS ?? 512);
  await main(['fuzz', '--db', join(dir, 'bench.db'), '--iterations', String(iterations), '--jobs', String(cpus().length), '--seed', String(BENCH_SEED), '--json'], { out: (t) => void (out += t), err: () => {} });
  rmSync(dir, { recursive: true, force: true });
  const s = JSON.parse(out);
  const total = Object.values(s.time_by_stage as Record<string, number>).reduce((a, b) => a + b, 0);
  console.log(`fuzz          ${String(s.cases_per_s).padStart(7)} cases/s end to end (${s.cases} cases, ${cpus().length} workers, ${s.features} features, ${s.seeds} seeds)`);
  console.log(`fuzz time by stage: ${Object.entries(s.time_by_stage as Record<string, number>).map(([k, v]) => `${k} ${((100 * v) / total).toFixed(0)}%`).join(', ')}`);
}
