// `npm run bench`: throughput of each stage on generated programs (generation, parsing, the interpreter, each
// backend one program per call and batched, and the whole differential check), plus the backends on the hand-written
// fixtures. Figures only, no assertions: they depend on the machine and on what else it is running.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Backend, BatchItem, Program } from '../targets/mlir/backend.ts';
import { entryArgTypes } from '../targets/mlir/entry-signature.ts';
import { NativeBackend } from '../targets/mlir/native/executor.ts';
import { WasmBackend } from '../targets/mlir/wasm/executor.ts';
import { runMain } from '../reference/index.ts';
import { parseModule } from '../ir/parser/index.ts';
import { generateFromSeed, programSeed, programText } from '../mutators/generate/index.ts';
import type { CheckCase } from '../oracles/differential.ts';
import { checkPrograms, inputsFor } from '../oracles/differential.ts';

const dir = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'fixtures', 'backends', 'programs');
const SEEDS = [1, 2, 3, 4];
const BATCHES = [16, 32];
const UNBATCHED = 12;

function loadPrograms(): Program[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.mlir'))
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      const args = entryArgTypes(text);
      if (!args) throw new Error(`cannot read @main's arguments in ${f}`);
      return { text, args };
    });
}

function items(programs: readonly Program[], indexBytes: number, seeds: readonly number[]): BatchItem[] {
  return seeds.flatMap((seed) => programs.map((program) => ({ program, inputs: inputsFor(program.args, seed, indexBytes) })));
}

async function measure(b: Backend, programs: readonly Program[], seeds: readonly number[] = SEEDS): Promise<void> {
  const reason = b.unavailableReason();
  if (reason) {
    console.log(`${b.name.padEnd(14)} unavailable: ${reason.split('\n')[0]}`);
    return;
  }
  const all = items(programs, b.indexBytes, seeds);
  await b.run(all[0]!.program, all[0]!.inputs); // start helper processes outside the clock

  let t = performance.now();
  const one = all.slice(0, Math.min(programs.length, UNBATCHED)); // one tool chain per program: slow, so a sample
  let ok = 0;
  for (const it of one) if ((await b.run(it.program, it.inputs)).kind === 'ok') ok++;
  const unbatched = one.length / ((performance.now() - t) / 1000);

  const batched: string[] = [];
  for (const size of BATCHES) {
    t = performance.now();
    let okBatched = 0;
    for (let k = 0; k < all.length; k += size) okBatched += (await b.runBatch(all.slice(k, k + size))).filter((o) => o.kind === 'ok').length;
    const rate = all.length / ((performance.now() - t) / 1000);
    batched.push(`batched ×${size} ${rate.toFixed(2).padStart(7)} programs/s (${okBatched}/${all.length} ok)`);
  }

  console.log(`${b.name.padEnd(14)} unbatched ${unbatched.toFixed(2).padStart(6)} programs/s (${ok}/${one.length} ok)   ${batched.join('   ')}`);
  await b.close();
}

const rate = (n: number, t0: number): string => (n / ((performance.now() - t0) / 1000)).toFixed(1);

/** The front half of a fuzzing step, on N generated programs: generate, print, parse, interpret. */
function frontEnd(n: number): { programs: Program[]; cases: CheckCase[] } {
  let t0 = performance.now();
  const generated = Array.from({ length: n }, (_, k) => generateFromSeed(programSeed(BENCH_SEED, k)));
  const genRate = rate(n, t0);
  const texts = generated.map(programText);
  const mb = texts.reduce((a, t) => a + t.length, 0) / 1e6;
  // Warm up the JIT first: the figures are for a long campaign, not for the first few programs.
  for (let round = 0; round < 2; round++) texts.forEach((t) => parseModule(t));
  texts.slice(0, 8).forEach((t, k) => runMain(parseModule(t), inputsFor(generated[k]!.args, 0, 8)));
  t0 = performance.now();
  const modules = texts.map((t) => parseModule(t));
  const parseSecs = (performance.now() - t0) / 1000;
  t0 = performance.now();
  let ok = 0;
  for (const p of generated) if (runMain(p.module, inputsFor(p.args, 0, 8)).kind === 'ok') ok++;
  const interpRate = rate(n, t0);
  console.log(`generate      ${genRate.padStart(7)} programs/s`);
  console.log(`parse         ${(n / parseSecs).toFixed(1).padStart(7)} programs/s (${(mb / parseSecs).toFixed(1)} MB/s)`);
  console.log(`interpreter   ${interpRate.padStart(7)} programs/s (${ok}/${n} ok)`);
  return {
    programs: generated.map((p, k) => ({ text: texts[k]!, args: p.args })),
    cases: generated.map((p, k) => ({ file: `prog-${k}`, text: texts[k]!, module: modules[k]!, args: p.args })),
  };
}

const BENCH_SEED = 2026;
const N = Number(process.env.TCFUZZ_BENCH_PROGRAMS ?? 64);
console.log(`bench: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`\n-- ${N} generated programs (seed ${BENCH_SEED})`);
const gen = frontEnd(N);
for (const b of [new NativeBackend(), new WasmBackend(), new WasmBackend({ tier: 'liftoff' }), new WasmBackend({ tier: 'turbofan' })]) {
  await measure(b, gen.programs, [1]);
}
const t0 = performance.now();
const backends = [new NativeBackend(), new WasmBackend()];
const report = await checkPrograms(gen.cases, backends);
await Promise.all(backends.map((b) => b.close()));
console.log(`check (interp+native+wasm) ${rate(N, t0)} checked programs/s (agree ${report.agree}/${N})`);

const programs = loadPrograms();
console.log(`\n-- ${programs.length} hand-written fixtures`);
for (const b of [new NativeBackend(), new WasmBackend(), new WasmBackend({ tier: 'liftoff' }), new WasmBackend({ tier: 'turbofan' })]) {
  await measure(b, programs);
}
