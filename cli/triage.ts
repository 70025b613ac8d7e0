// `tcfuzz triage list|show|mark|export`: the findings of a corpus, one finding in full, a verdict on it, and an
// upstream bug report. Reads the store while a campaign may be writing it; only `mark` writes.
import type { Argv } from 'yargs';
import type { FindingStatus } from '../contracts/corpus.ts';
import type { FindingKind } from '../contracts/oracle.ts';
import { openCorpus } from '../corpus/index.ts';
import { bugReport } from '../triage/bug-report.ts';
import { findingTable } from '../triage/finding-table.ts';
import { findingText } from '../triage/finding-text.ts';
import { findingView } from '../triage/finding-view.ts';
import { FINDING_KINDS, FINDING_STATUSES, isFindingKind, isFindingStatus } from '../triage/kinds-and-statuses.ts';
import type { CliCommand } from './command.ts';
import type { Io } from './io.ts';
import { Exit } from './io.ts';
import { text } from './options.ts';
import { mlirRepro } from './triage-repro.ts';

type Args = { action: 'list' | 'show' | 'mark' | 'export'; id?: number; status?: FindingStatus; kind?: FindingKind; db: string; format: string; json: boolean };

const FORMATS = ['markdown'];

export const triageCommand: CliCommand<Args> = {
  command: 'triage <action> [id] [status]',
  describe:
    "look at findings: 'list' them, 'show ID' one in full, 'mark ID STATUS' a verdict, 'export ID' an upstream bug report",
  options: (y: Argv) =>
    y
      .positional('action', { type: 'string', choices: ['list', 'show', 'mark', 'export'], demandOption: true })
      .positional('id', { coerce: findingId, describe: 'a finding id, as list prints it' })
      .positional('status', { coerce: status, describe: `mark: the verdict; list --status: only findings with it (${FINDING_STATUSES.join(', ')})` })
      .option('db', { default: 'tcfuzz.db', coerce: text('db'), describe: 'the SQLite corpus' })
      .option('kind', { coerce: kind, describe: `list: only findings of this kind (${FINDING_KINDS.join(', ')})` })
      .option('format', { default: 'markdown', coerce: text('format'), describe: `export: ${FORMATS.join(', ')}` })
      .option('json', { type: 'boolean', default: false, describe: 'list, show: print JSON' }) as unknown as Argv<Args>,
  async run(args, io) {
    try {
      if (args.action === 'list') {
        if (args.id !== undefined) throw new Error("list takes no finding id; 'tcfuzz triage show ID' shows one");
        return list(args, io);
      }
      if (args.id === undefined) throw new Error(`${args.action} needs a finding ID ('tcfuzz triage list' prints them)`);
      if (args.action === 'mark') return mark(args.id, args, io);
      if (args.status !== undefined) throw new Error(`${args.action} takes no status`);
      if (args.action === 'export' && !FORMATS.includes(args.format)) throw new Error(`--format must be ${FORMATS.join(' or ')}, got '${args.format}'`);
      return show(args.id, args, io);
    } catch (e) {
      const message = (e as Error).message;
      if (args.json) io.out(JSON.stringify({ error: { kind: 'usage', message } }, null, 1) + '\n');
      io.err(`tcfuzz: ${message}\n`);
      return Exit.Usage;
    }
  },
};

function list(args: Args, io: Io): number {
  const corpus = openCorpus(args.db, { readonly: true });
  try {
    const findings = corpus.findings({ ...(args.kind && { kind: args.kind }), ...(args.status && { status: args.status }) });
    if (args.json) io.out(JSON.stringify(findings, null, 1) + '\n');
    else io.out(findings.length > 0 ? findingTable(findings) : `no findings in ${args.db}${args.kind || args.status ? ' with that kind and status' : ''}\n`);
    return Exit.Ok;
  } finally {
    corpus.close();
  }
}

/** `show`, or with action 'export' the bug report. */
function show(id: number, args: Args, io: Io): number {
  const corpus = openCorpus(args.db, { readonly: true });
  try {
    const view = findingView(corpus, id);
    if (!view) throw new Error(`no finding ${id} in ${args.db}`);
    if (args.action === 'export') io.out(bugReport(view, mlirRepro(view)));
    else io.out(args.json ? JSON.stringify(view, null, 1) + '\n' : findingText(view));
    return Exit.Ok;
  } finally {
    corpus.close();
  }
}

function mark(id: number, args: Args, io: Io): number {
  if (args.status === undefined) throw new Error(`mark needs a status: ${FINDING_STATUSES.join(', ')}`);
  const corpus = openCorpus(args.db);
  try {
    const was = corpus.finding(id)?.status;
    if (was === undefined) throw new Error(`no finding ${id} in ${args.db}`);
    corpus.updateFinding(id, { status: args.status });
    io.out(`finding #${id}: ${was} → ${args.status}\n`);
    return Exit.Ok;
  } finally {
    corpus.close();
  }
}

function findingId(raw: unknown): number {
  const n = Number(raw);
  if (Array.isArray(raw) || !Number.isSafeInteger(n) || n < 1) throw new Error(`a finding ID is a positive integer, got '${String(raw)}'`);
  return n;
}

function status(raw: unknown): FindingStatus {
  const s = String(raw);
  if (Array.isArray(raw) || !isFindingStatus(s)) throw new Error(`unknown status '${s}' (one of ${FINDING_STATUSES.join(', ')})`);
  return s;
}

function kind(raw: unknown): FindingKind {
  const s = String(raw);
  if (Array.isArray(raw) || !isFindingKind(s)) throw new Error(`unknown finding kind '${s}' (one of ${FINDING_KINDS.join(', ')})`);
  return s;
}
