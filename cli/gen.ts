// `tcfuzz gen`: writes N generated programs, each replayable from (campaign seed, index).
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Argv } from 'yargs';
import { printType as printTypeOf } from '../ir/types.ts';
import { generateFromSeed, programSeed, programText } from '../mutators/generate/index.ts';
import type { CliCommand } from './command.ts';
import { Exit } from './io.ts';
import { nonNegativeInt, seed, text } from './options.ts';

type Args = { count: number; seed: number; out: string; force: boolean };

const OWN_FILE = /^prog-\d+\.mlir$|^manifest\.json$/;

export const genCommand: CliCommand<Args> = {
  command: 'gen',
  describe: 'generate random MLIR programs with the @main(memref...) test ABI',
  options: (y: Argv) =>
    y
      .option('count', { alias: 'n', default: 10, coerce: nonNegativeInt('count'), describe: 'how many programs' })
      .option('seed', { alias: 's', default: 0, coerce: seed('seed'), describe: 'campaign seed; program k uses programSeed(seed, k)' })
      .option('out', { alias: 'o', demandOption: true, coerce: text('out'), describe: 'output directory: new, or empty' })
      .option('force', { type: 'boolean', default: false, describe: "replace the programs and manifest of an earlier gen in --out (other files are kept)" }) as unknown as Argv<Args>,
  async run(args, io) {
    const fail = (message: string): number => {
      io.err(`tcfuzz: ${message}\n`);
      return Exit.Usage;
    };
    const st = statSync(args.out, { throwIfNoEntry: false });
    if (st && !st.isDirectory()) return fail(`--out ${args.out} exists and is not a directory`);
    if (st) {
      const entries = readdirSync(args.out);
      const own = entries.filter((f) => OWN_FILE.test(f));
      const other = entries.filter((f) => !OWN_FILE.test(f));
      // Stale programs left from a bigger run would be checked along with the new ones.
      if (own.length && !args.force) return fail(`--out ${args.out} already holds ${own.length} files of an earlier gen; pass --force to replace them`);
      if (other.length && !args.force) return fail(`--out ${args.out} is not empty; use a new directory`);
      for (const f of own) rmSync(join(args.out, f));
    }
    const width = Math.max(4, String(args.count - 1).length);
    const t0 = performance.now();
    const manifest: { file: string; seed: number; args: string[] }[] = [];
    try {
      makeDirectory(args.out);
      for (let k = 0; k < args.count; k++) {
        const s = programSeed(args.seed, k);
        const p = generateFromSeed(s);
        const file = `prog-${String(k).padStart(width, '0')}.mlir`;
        writeFileSync(join(args.out, file), `// tcfuzz gen --seed ${args.seed}: program ${k} (program seed ${s})\n` + programText(p));
        manifest.push({ file, seed: s, args: p.args.map((t) => printTypeOf(t)) });
      }
      writeFileSync(join(args.out, 'manifest.json'), JSON.stringify({ seed: args.seed, count: args.count, programs: manifest }, null, 1) + '\n');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (!err.code) throw e;
      return fail(`cannot write to ${args.out}: ${err.code}`);
    }
    const secs = (performance.now() - t0) / 1000;
    io.err(`generated ${args.count} programs in ${secs.toFixed(2)} s (${(args.count / Math.max(secs, 1e-9)).toFixed(0)} programs/s) into ${args.out}\n`);
    return Exit.Ok;
  },
};

/** `mkdir -p`, one level at a time: Node 20's recursive mkdirSync spins forever where mkdir says ENOENT under an existing parent (/proc). */
function makeDirectory(dir: string): void {
  const parent = dirname(dir);
  if (parent !== dir && !existsSync(parent)) makeDirectory(parent);
  if (!existsSync(dir)) mkdirSync(dir);
}
