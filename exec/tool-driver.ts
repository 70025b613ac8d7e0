// Runs one external tool the way a fuzzer must: in its own process group, under a wall-clock and a memory limit,
// with every byte of output captured, and never outliving tcfuzz (children.ts). Tool behaviour (crash, hang,
// error) is data here, never an exception.
import { execFailure, spawnChild } from './children.ts';
import type { RunEvents } from './fork-server.ts';
import { forkServer } from './fork-server.ts';

export type ToolRun = {
  /** Absolute path of the executable. */
  readonly cmd: string;
  readonly args: readonly string[];
  readonly stdin?: string | Uint8Array;
  /** Added to the inherited environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Wall-clock limit; the whole process group is killed when it passes. Default 30 s. */
  readonly timeoutMs?: number;
  /** Address-space limit (RLIMIT_AS, as `ulimit -v`); 0 disables it. Default 4096 MiB. V8 reserves far more than it uses, so give 0 for node. */
  readonly memoryLimitMb?: number;
  /** Stop capturing and kill the tool once stdout + stderr exceed this. Default 64 MiB. */
  readonly maxOutputBytes?: number;
  /**
   * Progress watchdog: kill when stdout stays silent for `idleMs` once it has produced a byte, or for `firstMs`
   * before the first byte. Lets one batch process serve many programs with a per-program time limit.
   */
  readonly watchdog?: { readonly firstMs: number; readonly idleMs: number };
  /** Also return stdout's exact bytes as `stdoutBytes` (a program's output need not be UTF-8). Default false. */
  readonly stdoutBinary?: boolean;
  /** Receives stdout as it arrives, instead of `stdout` (then empty): for outputs parsed as a stream. */
  readonly onStdout?: (chunk: Buffer) => void;
  /**
   * Sent instead of SIGKILL when time runs out, so the tool can say where it was (LLVM tools print their stack on
   * SIGABRT); SIGKILL follows after TIMEOUT_GRACE_MS if it is still there. Only for tools, not compiled programs.
   */
  readonly timeoutSignal?: NodeJS.Signals;
  /**
   * Fork the run from a long-lived, loaded copy of the tool (fork-server.ts) instead of starting it afresh: saves
   * an LLVM tool's 25-60 ms of loading per run. For dynamically linked tools that start no children of their own;
   * others are spawned as usual.
   */
  readonly forkServer?: boolean;
};

export type ToolResult = {
  /** The command line, for repro scripts. */
  readonly argv: readonly string[];
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** stdout decoded as UTF-8. */
  readonly stdout: string;
  /** stdout's bytes, when the run asked for `stdoutBinary`. */
  readonly stdoutBytes?: Buffer;
  readonly stderr: string;
  /** Killed by the wall-clock limit or the watchdog. */
  readonly timedOut: boolean;
  /** Killed because it printed more than maxOutputBytes. */
  readonly outputLimited: boolean;
  readonly durationMs: number;
  /** The executable could not be started at all (ENOENT, EACCES...). */
  readonly spawnError?: string;
};

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MEMORY_LIMIT_MB = 4096;
const DEFAULT_MAX_OUTPUT = 64 << 20;
/** How long a tool sent `timeoutSignal` has to print its stack and die before it is killed. */
const TIMEOUT_GRACE_MS = 2000;

export async function runTool(run: ToolRun): Promise<ToolResult> {
  const start = performance.now();
  const server = run.forkServer ? await forkServer(run.cmd) : undefined;
  const timeoutMs = run.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxOut = run.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const memoryLimitMb = run.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB;
  const argv = [run.cmd, ...run.args];
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let timedOut = false;
    let outputLimited = false;
    let settled = false;
    let grace: NodeJS.Timeout | undefined;
    const outOfTime = (): void => {
      if (timedOut) return;
      timedOut = true;
      if (!run.timeoutSignal) return killGroup('SIGKILL');
      killGroup(run.timeoutSignal);
      grace = setTimeout(() => killGroup('SIGKILL'), TIMEOUT_GRACE_MS);
    };
    const timer = setTimeout(outOfTime, timeoutMs);
    let idle: NodeJS.Timeout | undefined;
    const arm = (ms: number): void => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(outOfTime, ms);
    };
    if (run.watchdog) arm(run.watchdog.firstMs);
    const collect = (sink: Buffer[], isStdout: boolean) => (chunk: Buffer) => {
      if (isStdout && run.watchdog) arm(run.watchdog.idleMs);
      if (outBytes >= maxOut) return;
      outBytes += chunk.length;
      if (isStdout && run.onStdout) run.onStdout(chunk);
      else sink.push(chunk);
      if (outBytes >= maxOut) {
        outputLimited = true;
        killGroup('SIGKILL');
      }
    };
    const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (idle) clearTimeout(idle);
      if (grace) clearTimeout(grace);
      const stdoutBytes = Buffer.concat(out);
      const stderr = Buffer.concat(err).toString('utf8');
      spawnError ??= execFailure(code, stderr);
      const r: ToolResult = {
        argv,
        exitCode: code,
        signal,
        stdout: stdoutBytes.toString('utf8'),
        ...(run.stdoutBinary ? { stdoutBytes } : {}),
        stderr,
        timedOut,
        outputLimited,
        durationMs: performance.now() - start,
      };
      // TCFUZZ_TRACE_TOOLS=1 logs each tool run: where batching time goes.
      if (process.env.TCFUZZ_TRACE_TOOLS) process.stderr.write(`[tcfuzz] ${run.cmd.replace(/^.*\//, '')} ${r.durationMs.toFixed(0)} ms exit ${code ?? signal}${server ? ' (forked from a server)' : ''}\n`);
      resolve(spawnError === undefined ? r : { ...r, spawnError });
    };
    const events: RunEvents = { stdout: collect(out, true), stderr: collect(err, false), exit: finish };
    const stdin = run.stdin === undefined ? new Uint8Array(0) : typeof run.stdin === 'string' ? Buffer.from(run.stdin, 'utf8') : run.stdin;
    const killGroup = server
      ? server.start({ argv, env: run.env ?? {}, memoryKib: Math.max(0, Math.floor(memoryLimitMb * 1024)), cwd: run.cwd ?? '', stdin }, events)
      : spawned(run, memoryLimitMb, stdin, events);
  });
}

/** Starts `run` as a new process leading its own group; returns how to signal that group. */
function spawned(run: ToolRun, memoryLimitMb: number, stdin: Uint8Array, events: RunEvents): (signal: NodeJS.Signals) => void {
  const child = spawnChild(run.cmd, run.args, {
    memoryLimitMb,
    detached: true,
    cwd: run.cwd,
    env: run.env ? { ...process.env, ...run.env } : process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', events.stdout);
  child.stderr!.on('data', events.stderr);
  child.on('error', (e) => events.exit(null, null, e.message));
  child.on('close', (code, signal) => events.exit(code, signal));
  // A tool that exits before reading all of stdin makes the write fail with EPIPE; its exit status tells the story.
  child.stdin!.on('error', () => {});
  child.stdin!.end(stdin);
  return (signal) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
}
