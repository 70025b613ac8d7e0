// `tcfuzz triage list|show|mark|export|reduce|bisect|verify`: the findings of a corpus, one finding in full, a verdict
// on it, an upstream bug report; and, running cases again (cli/triage-replay.ts), a smaller reproducer, the first bad
// pass, and which findings the installed toolchain fixed. Reads the store while a campaign may be writing it.
import type { Argv } from 'yargs';
import type { Corpus, FindingStatus } from '../contracts/corpus.ts';
import type { FindingKind } from '../contracts/oracle.ts';
import type { PassStep } from '../contracts/pipeline.ts';
import { openCorpus } from '../corpus/index.ts';
import type { Bisection } from '../triage/bisect.ts';
import { bisect } from '../triage/bisect.ts';
import { bugReport } from '../triage/bug-report.ts';
import { findingTable } from '../triage/finding-table.ts';
import { findingText } from '../triage/finding-text.ts';
import { findingView } from '../triage/finding-view.ts';
import { FINDING_KINDS, FINDING_STATUSES, isFindingKind, isFindingStatus } from '../triage/kinds-and-statuses.ts';
import type { Size } from '../triage/reduce.ts';
import { reduce } from '../triage/reduce.ts';
import { verifyFindings } from '../triage/verify.ts';
import type { CliCommand } from './command.ts';
import type { Io } from './io.ts';
import { Exit } from './io.ts';
import { duration, text } from './options.ts';
import { mlirPatternBisect } from './triage-pattern.ts';
import { Replayer } from './triage-replay.ts';
import { mlirRepro } from './triage-repro.ts';
import { toolchainVersion } from './version.ts';

type Action = 'list' | 'show' | 'mark' | 'export' | 'reduce' | 'bisect' | 'verify';
type Args = { action: Action; id?: number; status?: FindingStatus; kind?: FindingKind; db: string; format: string; json: boolean; time: number };

const ACTIONS: readonly Action[] = ['list', 'show', 'mark', 'export', 'reduce', 'bisect', 'verify'];

const FORMATS = ['markdown'];

export const triageCommand: CliCommand<Args> = {
  command: 'triage <action> [id] [status]',
  describe:
    "look at findings: 'list' them, 'show ID' one in full, 'mark ID STATUS' a verdict, 'export ID' an upstream bug report, " +
    "'reduce ID' a smaller reproducer, 'bisect ID' the first bad pass, 'verify' which open findings the installed toolchain fixed",
  options: (y: Argv) =>
    y
      .positional('action', { type: 'string', choices: ACTIONS, demandOption: true })
      .positional('id', { coerce: findingId, describe: 'a finding id, as list prints it' })
      .positional('status', { coerce: status, describe: `mark: the verdict; list --status: only findings with it (${FINDING_STATUSES.join(', ')})` })
      .option('db', { default: 'tcfuzz.db', coerce: text('db'), describe: 'the SQLite corpus' })
      .option('kind', { coerce: kind, describe: `list: only findings of this kind (${FINDING_KINDS.join(', ')})` })
      .option('format', { default: 'markdown', coerce: text('format'), describe: `export: ${FORMATS.join(', ')}` })
      .option('json', { type: 'boolean', default: false, describe: 'list, show: print JSON' })
      .option('time', { default: '60s', coerce: duration('time'), describe: 'reduce: time budget, e.g. 60s, 5m' }) as unknown as Argv<Args>,
  async run(args, io) {
    try {
      if (args.action === 'list') {
        if (args.id !== undefined) throw new Error("list takes no finding id; 'tcfuzz triage show ID' shows one");
        return list(args, io);
      }
      if (args.action === 'verify') {
        if (args.id !== undefined) throw new Error('verify takes no finding id: it re-runs every open finding');
        return await verify(args, io);
      }
      if (args.id === undefined) throw new Error(`${args.action} needs a finding ID ('tcfuzz triage list' prints them)`);
      if (args.action === 'mark') return mark(args.id, args, io);
      if (args.status !== undefined) throw new Error(`${args.action} takes no status`);
      if (args.action === 'export' && !FORMATS.includes(args.format)) throw new Error(`--format must be ${FORMATS.join(' or ')}, got '${args.format}'`);
      if (args.action === 'reduce') return await reduceFinding(args.id, args, io);
      if (args.action === 'bisect') return await bisectFinding(args.id, args, io);
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

/** Opens the store for writing, with a Replayer on it; both closed after `body`. */
async function replaying(db: string, body: (corpus: Corpus, replayer: Replayer) => Promise<number>): Promise<number> {
  const corpus = openCorpus(db);
  const replayer = new Replayer(corpus);
  try {
    return await body(corpus, replayer);
  } finally {
    await replayer.close();
    corpus.close();
  }
}

/** A Replayer for finding `id`, refused (a usage error) when its backend cannot run here. */
function runnable(replayer: Replayer, id: number): void {
  const why = replayer.unavailable(id);
  if (why) throw new Error(`finding ${id}'s backend ${replayer.subject(id).finding.executor} is unavailable: ${why}`);
}

async function reduceFinding(id: number, args: Args, io: Io): Promise<number> {
  return replaying(args.db, async (corpus, replayer) => {
    runnable(replayer, id);
    const { case: kase, catalog, original } = replayer.subject(id);
    const started = Date.now();
    const reproduces = replayer.reproduces(id);
    const start = { program: kase.program.text, pipeline: original };
    if (!(await reproduces([start]))[0]) {
      io.out(`finding #${id} does not reproduce on its case #${kase.id} with this toolchain: nothing to reduce ('tcfuzz triage verify' marks it fixed)\n`);
      return Exit.Ok;
    }
    const r = await reduce(start, { reproduces, catalog, deadline: started + args.time });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.out(`finding #${id} reduced in ${seconds} s: ${sizeChange(r.before, r.after)} (${r.accepted} of ${r.tried} candidates kept)\n`);
    if (r.timedOut) io.out(`stopped at the --time limit; a longer --time may reduce further\n`);
    if (r.program === start.program && r.pipeline === start.pipeline) {
      io.out('nothing smaller reproduces it: no reduced case stored\n');
      return Exit.Ok;
    }
    const reduced = corpus.storeCase({ text: r.program, pipeline: catalog.print(r.pipeline), inputSeed: kase.inputSeed, parent: kase.program.id, lineage: 'triage-reduce' });
    corpus.updateFinding(id, { reducedCase: reduced });
    io.out(`reduced case #${reduced} stored on finding #${id}; the original case #${kase.id} is kept ('tcfuzz triage show ${id}' prints both)\n`);
    return Exit.Ok;
  });
}

function sizeChange(a: Size, b: Size): string {
  return `ops ${a.ops} → ${b.ops}, lines ${a.lines} → ${b.lines}, passes ${a.passes} → ${b.passes}`;
}

async function bisectFinding(id: number, args: Args, io: Io): Promise<number> {
  return replaying(args.db, async (corpus, replayer) => {
    runnable(replayer, id);
    const { finding, case: kase, original } = replayer.subject(id);
    // Pattern bisection runs mlir-opt alone: it can show what mlir-opt itself does wrong, not a wrong result.
    const inMlirOpt = finding.tool === 'mlir-opt' && finding.kind !== 'miscompile' && finding.kind !== 'runtime-trap';
    const b = await bisect({ program: kase.program.text, pipeline: original }, replayer.reproduces(id), inMlirOpt ? mlirPatternBisect() : undefined);
    // A compiler failure already names the pass that failed or broke the IR, which its signature and repro.sh check;
    // the first bad pass is stored only where the finding names none (a wrong result, an unexported crash).
    if (b.kind === 'pass' && finding.pass === undefined) corpus.updateFinding(id, { pass: b.step.pass });
    io.out(bisectionText(id, b));
    return Exit.Ok;
  });
}

function bisectionText(id: number, b: Bisection): string {
  switch (b.kind) {
    case 'not-reproduced':
      return `finding #${id} does not reproduce on its case with this toolchain: nothing to bisect ('tcfuzz triage verify' marks it fixed)\n`;
    case 'not-pipeline-dependent':
      return `finding #${id} is not pipeline-dependent: it reproduces with none of its ${b.of} passes (the bug is in what every pipeline shares, such as the backend's lowering)\n`;
    case 'pass': {
      const pattern = b.pattern?.kind === 'pattern' ? `; pattern: ${b.pattern.pattern} on op ${b.pattern.op} (application ${b.pattern.application} of ${b.pattern.applications})` : '';
      const none = b.pattern?.kind === 'none' ? `no pattern named: ${b.pattern.reason}\n` : '';
      return `first bad pass: ${stepText(b.step)} (prefix of ${b.prefix} of ${b.of} passes)${pattern}\n${none}`;
    }
  }
}

function stepText(s: PassStep): string {
  const options = Object.entries(s.options ?? {}).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`);
  return options.length > 0 ? `${s.pass}{${options.join(' ')}}` : s.pass;
}

async function verify(args: Args, io: Io): Promise<number> {
  return replaying(args.db, async (corpus, replayer) => {
    const toolchain = toolchainVersion();
    const verdicts = await verifyFindings(corpus, {
      toolchain,
      reproduces: async (f) => {
        let why: string | undefined;
        try {
          why = replayer.unavailable(f.id);
        } catch (e) {
          // A backend this tcfuzz does not have: the other findings can still be verified.
          return { skip: (e as Error).message };
        }
        if (why) return { skip: `backend ${f.executor} is unavailable: ${why}` };
        const r = (await replayer.replay(f.id, [{}], 'own'))[0]!;
        // The same kind of failure from the same executor under another signature is the bug signed by a newer
        // rule (signatures change between tcfuzz versions), or a neighbour: not a fix either way.
        const like = r.findings.find((g) => g.kind === f.kind && g.executor === f.executor);
        return r.reproduces || !like ? r.reproduces : { skip: `it still fails as a ${f.kind} on ${f.executor}, signed ${like.signature}` };
      },
      onVerdict: (v) => {
        const said = { reproduces: 'still reproduces', fixed: `fixed: no longer reproduces with toolchain ${toolchain}`, skipped: `not verified: ${v.reason}` }[v.verdict];
        io.out(`#${v.finding.id} ${v.finding.kind} (${v.finding.status}): ${said}\n`);
      },
    });
    const count = (verdict: string) => verdicts.filter((v) => v.verdict === verdict).length;
    const skipped = count('skipped');
    io.out(`verified ${verdicts.length} open finding${verdicts.length === 1 ? '' : 's'} with toolchain ${toolchain}: ${count('reproduces')} still reproduce, ${count('fixed')} fixed${skipped ? `, ${skipped} not verified` : ''}\n`);
    return Exit.Ok;
  });
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
