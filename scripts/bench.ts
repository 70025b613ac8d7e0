// `npm run bench`: programs/s of each execution backend, one program per call and batched, on a fixed program set.
// The set is the hand-written backend fixtures for now, each with several input seeds. Figures only, no assertions:
// they depend on the machine and on what else it is running.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Backend, BatchItem, Program } from '../backends/backend.ts';
import { entryArgTypes } from '../backends/entry-signature.ts';
import { NativeBackend } from '../backends/native.ts';
import { WasmBackend } from '../backends/wasm.ts';
import { fillBuffer } from '../ir/inputs.ts';

const dir = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'fixtures', 'backends', 'programs');
const SEEDS = [1, 2, 3, 4];
const BATCHES = [16, 32];

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

function items(programs: readonly Program[], indexBytes: number): BatchItem[] {
  return SEEDS.flatMap((seed) => programs.map((program) => ({ program, inputs: program.args.map((t, k) => fillBuffer(t, seed, k, indexBytes)) })));
}

async function measure(b: Backend, programs: readonly Program[]): Promise<void> {
  const reason = b.unavailableReason();
  if (reason) {
    console.log(`${b.name.padEnd(14)} unavailable: ${reason.split('\n')[0]}`);
    return;
  }
  const all = items(programs, b.indexBytes);
  await b.run(all[0]!.program, all[0]!.inputs); // start helper processes outside the clock

  let t = performance.now();
  const one = all.slice(0, programs.length);
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

const programs = loadPrograms();
console.log(
  `bench: ${programs.length} programs × ${SEEDS.length} input seeds; ${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
for (const b of [new NativeBackend(), new WasmBackend(), new WasmBackend({ tier: 'liftoff' }), new WasmBackend({ tier: 'turbofan' })]) {
  await measure(b, programs);
}
