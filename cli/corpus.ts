// `tcfuzz corpus export|merge|import`: a campaign's seed pool as .mlir files, and the stores of several machines (the
// shards of a CI matrix) combined into one (DESIGN §11).
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { Corpus, MergeCounts } from '../contracts/corpus.ts';
import { openCorpus } from '../corpus/index.ts';
import type { CliCommand } from './command.ts';
import type { Io } from './io.ts';
import { Exit } from './io.ts';
import { positiveInt, text } from './options.ts';

type Args = { action: 'export' | 'merge' | 'import'; files: string[]; db: string; out?: string; campaign?: number };

const POOL_MANIFEST = 'pool.json';

export const corpusCommand: CliCommand<Args> = {
  command: 'corpus <action> [files..]',
  describe:
    "work with campaign databases: 'export --out DIR' writes the seed pool as .mlir files with their pipelines; " +
    "'merge OUT.db A.db B.db…' combines the stores of several machines; 'import DIR' merges every .db under DIR (and an exported pool) into --db",
  options: (y: Argv) =>
    y
      .positional('action', { type: 'string', choices: ['export', 'merge', 'import'], demandOption: true })
      .positional('files', { type: 'string', array: true, default: [], describe: 'merge: OUT.db then the stores to merge; import: DIR' })
      .option('db', { default: 'tcfuzz.db', coerce: text('db'), describe: 'the SQLite corpus (export reads it, import writes it)' })
      .option('out', { coerce: text('out'), describe: 'export: folder to write (must not hold an earlier export)' })
      .option('campaign', { coerce: positiveInt('campaign'), describe: 'export: campaign id (default: the last)' }) as unknown as Argv<Args>,
  async run(args, io) {
    try {
      switch (args.action) {
        case 'export':
          return exportPool(args, io);
        case 'merge':
          if (args.files.length < 2) throw new Error('merge needs OUT.db and at least one store to merge into it');
          return merge(args.files[0]!, args.files.slice(1), [], io);
        case 'import':
          if (args.files.length !== 1) throw new Error('import needs one folder: DIR');
          return importFolder(args.files[0]!, args.db, io);
      }
    } catch (e) {
      io.err(`tcfuzz: ${(e as Error).message}\n`);
      return Exit.Usage;
    }
  },
};

function exportPool(args: Args, io: Io): number {
  if (args.out === undefined) throw new Error('export needs --out DIR');
  if (args.files.length > 0) throw new Error(`export takes no files (got ${args.files.join(' ')}); it reads --db`);
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
}

/** Every .db below `dir` (CI downloads each artifact into a folder of its own), and `dir` itself when it holds an exported pool. */
function importFolder(dir: string, db: string, io: Io): number {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: not a folder`);
  const stores = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.db'))
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile() && resolve(path) !== resolve(db))
    .sort();
  const pools = existsSync(join(dir, POOL_MANIFEST)) ? [dir] : [];
  if (stores.length === 0 && pools.length === 0) throw new Error(`${dir} holds no .db store and no ${POOL_MANIFEST} of an exported pool`);
  return merge(db, stores, pools, io);
}

/**
 * One transaction: every source store is opened (and checked) before `target` is touched, and any failure leaves
 * `target` as it was, or absent when this call created it.
 */
function merge(target: string, stores: readonly string[], pools: readonly string[], io: Io): number {
  const sources: Corpus[] = [];
  try {
    for (const path of stores) sources.push(openCorpus(path, { readonly: true }));
    const existed = existsSync(target);
    const into = openCorpus(target, { create: true });
    try {
      const { merged, imported } = into.transaction(() => ({ merged: sources.map((s) => into.merge(s)), imported: pools.map((p) => into.importPool(p)) }));
      merged.forEach((m, k) => io.out(`${stores[k]}: ${describe(m)}\n`));
      imported.forEach((p, k) => io.out(`${pools[k]}: ${p.isNew ? `${p.seeds} seeds imported as the pool of campaign ${p.campaign}` : `already imported as campaign ${p.campaign}`}\n`));
      io.out(`${target}: ${into.findings().length} findings\n`);
      into.close();
      return Exit.Ok;
    } catch (e) {
      into.close();
      if (!existed) for (const suffix of ['', '-wal', '-shm']) rmSync(target + suffix, { force: true });
      throw e;
    }
  } finally {
    for (const s of sources) s.close();
  }
}

function describe(m: MergeCounts): string {
  const c = m.campaigns;
  const campaigns = [c.added && `${c.added} new`, c.updated && `${c.updated} further along`, c.known && `${c.known} already here`].filter(Boolean).join(', ');
  return `campaigns ${campaigns || 'none'}; ${m.programs} programs and ${m.cases} cases added; ${m.findings.added} new findings, ${m.findings.updated} updated (+${m.sightings} sightings)`;
}
