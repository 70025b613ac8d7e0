// Interpreter throughput: `node --import tsx test/reference/bench.ts [programs]`.
// Reports the best and median of repeated rounds: the median shows a loaded machine, the best what the code does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillBuffer } from '../../ir/inputs.ts';
import { compileModule, runCompiled } from '../../reference/index.ts';
import { generateFromSeed, programSeed } from '../../mutators/generate/index.ts';
import { FIXTURES, genericForms, mainInputs } from './fixtures.ts';
import { parseModule } from '../../ir/parser/index.ts';

function rounds(label: string, n: number, reps: number, body: () => number): void {
  const times: number[] = [];
  let steps = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    steps = body();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const rate = (t: number): string => ((n / t) * 1000).toFixed(0);
  console.log(`${label}: best ${rate(times[0]!)} programs/s, median ${rate(times[times.length >> 1]!)} programs/s (${(steps / n).toFixed(0)} ops executed per program, compile included)`);
}

const count = Number(process.argv[2] ?? 300);
const generated = Array.from({ length: count }, (_, k) => {
  const g = generateFromSeed(programSeed(11, k));
  return { module: g.module, inputs: g.args.map((t, i) => fillBuffer(t, 1, i)) };
});
let ops = 0;
for (const g of generated) for (const _ of g.module.walk()) ops++;
rounds(`generated programs (${(ops / count).toFixed(0)} ops each)`, count, 30, () => {
  let steps = 0;
  for (const g of generated) {
    const r = runCompiled(compileModule(g.module), g.inputs);
    if (r.kind === 'ok') steps += r.steps;
  }
  return steps;
});

const loops = parseModule(genericForms([readFileSync(join(FIXTURES, 'bench', 'loops.mlir'), 'utf8')])[0]!, 'loops.mlir');
const loopInputs = mainInputs(loops);
rounds('loop nest (matmul 16^3)', 50, 10, () => {
  let steps = 0;
  for (let k = 0; k < 50; k++) {
    const r = runCompiled(compileModule(loops), loopInputs);
    if (r.kind !== 'ok') throw new Error(JSON.stringify(r));
    steps += r.steps;
  }
  return steps;
});
