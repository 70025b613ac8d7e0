// `tcfuzz gen`: writes N generated programs, each replayable from (campaign seed, index).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { printType as printTypeOf } from '../ir/types.ts';
import { generateFromSeed, programSeed, programText } from '../mutators/generate/index.ts';
import type { CliCommand } from './command.ts';
import { Exit } from './io.ts';
import { nonNegativeInt, seed } from './options.ts';

type Args = { count: number; seed: number; out: string };

export const genCommand: CliCommand<Args> = {
  command: 'gen',
  describe: 'generate random MLIR programs with the @main(memref...) test ABI',
  options: (y: Argv) =>
    y
      .option('count', { alias: 'n', default: 10, coerce: nonNegativeInt('count'), describe: 'how many programs' })
      .option('seed', { alias: 's', default: 0, coerce: seed('seed'), describe: 'campaign seed; program k uses programSeed(seed, k)' })
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'output directory' }) as unknown as Argv<Args>,
  async run(args, io) {
    mkdirSync(args.out, { recursive: true });
    const width = Math.max(4, String(args.count - 1).length);
    const t0 = performance.now();
    const manifest: { file: string; seed: number; args: string[] }[] = [];
    for (let k = 0; k < args.count; k++) {
      const s = programSeed(args.seed, k);
      const p = generateFromSeed(s);
      const file = `prog-${String(k).padStart(width, '0')}.mlir`;
      writeFileSync(join(args.out, file), `// tcfuzz gen --seed ${args.seed}: program ${k} (program seed ${s})\n` + programText(p));
      manifest.push({ file, seed: s, args: p.args.map((t) => printTypeOf(t)) });
    }
    writeFileSync(join(args.out, 'manifest.json'), JSON.stringify({ seed: args.seed, count: args.count, programs: manifest }, null, 1) + '\n');
    const secs = (performance.now() - t0) / 1000;
    io.err(`generated ${args.count} programs in ${secs.toFixed(2)} s (${(args.count / Math.max(secs, 1e-9)).toFixed(0)} programs/s) into ${args.out}\n`);
    return Exit.Ok;
  },
};

