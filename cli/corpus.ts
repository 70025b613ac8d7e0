// `tcfuzz corpus export`: the seed pool of a campaign as .mlir files, each with its pipeline.
import type { Argv } from 'yargs';
import { openCorpus } from '../corpus/index.ts';
import type { CliCommand } from './command.ts';
import { Exit } from './io.ts';
import { positiveInt, text } from './options.ts';

type Args = { action: string; db: string; out: string; campaign?: number };

export const corpusCommand: CliCommand<Args> = {
  command: 'corpus <action>',
  describe: "work with a campaign database: 'export' writes the seed pool as .mlir files with their pipelines",
  options: (y: Argv) =>
    y
      .positional('action', { type: 'string', choices: ['export'], demandOption: true })
      .option('db', { default: 'tcfuzz.db', coerce: text('db'), describe: 'the SQLite corpus' })
      .option('out', { coerce: text('out'), demandOption: true, describe: 'folder to write (must not hold an earlier export)' })
      .option('campaign', { coerce: positiveInt('campaign'), describe: 'campaign id (default: the last)' }) as unknown as Argv<Args>,
  async run(args, io) {
    try {
      const corpus = openCorpus(args.db, { readonly: true });
      try {
        const id = args.campaign ?? corpus.lastCampaign()?.id;
        if (id === undefined || !corpus.campaign(id)) throw new Error(`${args.db} has no campaign${args.campaign ? ` ${args.campaign}` : ''}`);
        const seeds = corpus.exportPool(id, args.out);
        io.out(`${seeds.length} seeds of campaign ${id} written to ${args.out}\n`);
        return Exit.Ok;
      } finally {
        corpus.close();
      }
    } catch (e) {
      io.err(`tcfuzz: ${(e as Error).message}\n`);
      return Exit.Usage;
    }
  },
};
