// `tcfuzz report`: a store's campaigns, progress over time, pass × op heat maps and findings, as one self-contained
// HTML page with a page per finding, as markdown for a CI job summary, as JSON, or as text (reports/).
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { openCorpus } from '../corpus/index.ts';
import { buildReportModel, folderOutput, RENDERERS, unwritableReason, type ReportFormat, type ReportModel } from '../reports/index.ts';
import { mlirCatalog } from '../targets/mlir/target.ts';
import type { CliCommand } from './command.ts';
import { Exit } from './io.ts';
import { text } from './options.ts';

type Args = { db: string; out?: string; format: ReportFormat };

export const reportCommand: CliCommand<Args> = {
  command: 'report',
  describe: 'report on a campaign database: html (DIR/index.html), markdown (printed, and DIR/summary.md), json or text',
  options: (y: Argv) =>
    y
      .option('db', { default: 'tcfuzz.db', coerce: text('db'), describe: 'the SQLite corpus (only read)' })
      .option('out', { coerce: text('out'), describe: 'folder to write: needed for html, optional for markdown (created; an earlier report in it is replaced)' })
      .option('format', { choices: Object.keys(RENDERERS), default: 'html', describe: 'html, markdown, json or text' }) as unknown as Argv<Args>,
  async run(args, io) {
    const renderer = RENDERERS[args.format];
    const fail = (message: string): number => {
      io.err(`tcfuzz: ${message}\n`);
      return Exit.Usage;
    };
    // Checked before the store is read: a bad --out costs no work and leaves nothing half-written.
    if (args.out === undefined) {
      if (renderer.folder === 'required') return fail(`--format ${args.format} writes files: name their folder with --out DIR`);
    } else {
      if (renderer.folder === 'unused') return fail(`--format ${args.format} prints to standard output; --out is for html and markdown`);
      const why = unwritableReason(args.out);
      if (why) return fail(`--out ${args.out}: ${why}`);
    }

    let model: ReportModel;
    try {
      const corpus = openCorpus(args.db, { readonly: true });
      try {
        // MLIR is the one target whose pipelines a store holds today.
        model = buildReportModel(corpus, mlirCatalog);
      } finally {
        corpus.close();
      }
    } catch (e) {
      return fail((e as Error).message); // a missing, foreign, newer or damaged store
    }
    try {
      renderer.render(model, folderOutput(args.out, (t) => io.out(t)));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === undefined) throw e;
      return fail(`cannot write the report: ${(e as Error).message}`); // the disk filled, the folder went away
    }
    if (args.format === 'html') io.out(`report written to ${join(args.out!, 'index.html')}\n`);
    return Exit.Ok;
  },
};
