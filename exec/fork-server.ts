// Long-lived, loaded copies of a tool that fork one child per run (native/forkserver.c). An LLVM tool spends
// 25-60 ms of each run loading libLLVM and libMLIR; a fork of a loaded copy starts in under a millisecond, and it
// is still the tool's own main() that runs, with the run's argv, environment, stdin and memory limit. Servers are
// pooled per executable, one per run in flight, and started on first use through spawnChild, so they die with
// tcfuzz; a tool that cannot be served (static, not ELF, no C compiler) is spawned as before.
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, join } from 'node:path';
import { ensureForkServer } from '../native/index.ts';
import { isExecutable, spawnChild } from './children.ts';

export type ServedRun = {
  readonly argv: readonly string[];
  /** Set in the run's environment, over the server's (tcfuzz's at the server's start). */
  readonly env: Readonly<Record<string, string>>;
  /** RLIMIT_AS in KiB; 0: none. */
  readonly memoryKib: number;
  /** '' for the server's working directory. */
  readonly cwd: string;
  readonly stdin: Uint8Array;
};

export type RunEvents = {
  readonly stdout: (chunk: Buffer) => void;
  readonly stderr: (chunk: Buffer) => void;
  /** The run exited and closed its outputs; `lost` says why there is no status (the server died). */
  readonly exit: (code: number | null, signal: NodeJS.Signals | null, lost?: string) => void;
};

/** How long a new server may take to load its tool and say it is ready. */
const START_TIMEOUT_MS = 10_000;
const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

class ForkServer {
  private acc: Buffer = Buffer.alloc(0);
  private events: RunEvents | undefined;
  private dead: string | undefined;
  private stderrTail = '';
  readonly ready: Promise<boolean>;

  constructor(
    private readonly child: ChildProcess,
    private readonly onIdle: (s: ForkServer) => void,
  ) {
    let hello: (ok: boolean) => void = () => {};
    this.ready = new Promise((resolve) => (hello = resolve));
    const timer = setTimeout(() => this.stop(`no hello within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    let greeted = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      this.acc = this.acc.length === 0 ? chunk : Buffer.concat([this.acc, chunk]);
      if (!greeted) {
        // A tool that ignored the preload (static, or not a glibc program) runs its own main and says anything else.
        if (this.acc.length < 5) return;
        greeted = true;
        clearTimeout(timer);
        if (this.acc[0] !== 0x48 || this.acc.readUInt32LE(1) !== 0) return void (this.stop('it did not load the fork server'), hello(false));
        this.acc = this.acc.subarray(5);
        hello(true);
      }
      this.frames();
    });
    child.stderr!.on('data', (chunk: Buffer) => void (this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-2000)));
    child.stdin!.on('error', () => {});
    child.on('error', (e) => this.gone(e.message));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      hello(false);
      this.gone(`the server exited (${code ?? signal})${this.stderrTail ? `: ${this.stderrTail.trim()}` : ''}`);
    });
    // Idle servers never keep tcfuzz alive; a run in flight does, through stdout (busy()).
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref(): void }).unref();
  }

  private busy(running: boolean): void {
    const out = this.child.stdout as unknown as { ref(): void; unref(): void };
    if (running) out.ref();
    else out.unref();
  }

  /** Why this server cannot serve, once it cannot. */
  get failure(): string | undefined {
    return this.dead;
  }

  start(run: ServedRun, events: RunEvents): (signal: NodeJS.Signals) => void {
    this.events = events;
    this.busy(true);
    this.child.stdin!.write(encodeRun(run));
    return (signal) => {
      if (this.events !== events) return;
      const f = Buffer.alloc(9);
      f.write('K', 0, 'latin1');
      f.writeUInt32LE(4, 1);
      f.writeUInt32LE(constants.signals[signal], 5);
      this.child.stdin!.write(f);
    };
  }

  private frames(): void {
    let off = 0;
    while (this.acc.length - off >= 5) {
      const len = this.acc.readUInt32LE(off + 1);
      if (this.acc.length - off - 5 < len) break;
      const type = this.acc[off]!;
      const payload = this.acc.subarray(off + 5, off + 5 + len);
      off += 5 + len;
      const ev = this.events;
      if (!ev) continue;
      // Views, not copies: `acc` is only ever replaced, never written into.
      if (type === 0x4f /* O */) ev.stdout(payload);
      else if (type === 0x45 /* E */) ev.stderr(payload);
      else if (type === 0x58 /* X */) {
        const status = payload.readInt32LE(0);
        this.events = undefined;
        this.busy(false);
        this.onIdle(this);
        if ((status & 0x7f) === 0) ev.exit((status >> 8) & 0xff, null);
        else ev.exit(null, SIGNAL_NAMES.get(status & 0x7f) ?? null);
      }
    }
    this.acc = off === this.acc.length ? Buffer.alloc(0) : this.acc.subarray(off);
  }

  private stop(reason: string): void {
    this.dead ??= reason;
    this.child.kill('SIGKILL');
  }

  private gone(reason: string): void {
    this.dead ??= reason;
    const ev = this.events;
    this.events = undefined;
    this.busy(false);
    ev?.exit(null, null, reason);
  }
}

/** 'R' frame: u32 argc, argv\0..., u32 envc, NAME=VALUE\0..., u64 KiB, cwd\0, stdin (native/forkserver.c). */
function encodeRun(run: ServedRun): Buffer {
  const strings = (xs: readonly string[]): Buffer[] => xs.map((s) => Buffer.from(`${s}\0`, 'utf8'));
  const argv = strings(run.argv);
  const env = strings(Object.entries(run.env).map(([k, v]) => `${k}=${v}`));
  const cwd = Buffer.from(`${run.cwd}\0`, 'utf8');
  const size = (bs: Buffer[]): number => bs.reduce((n, b) => n + b.length, 0);
  const len = 4 + size(argv) + 4 + size(env) + 8 + cwd.length + run.stdin.length;
  const f = Buffer.allocUnsafe(5 + len);
  let o = f.write('R', 0, 'latin1');
  o = f.writeUInt32LE(len, o);
  o = f.writeUInt32LE(argv.length, o);
  for (const b of argv) o += b.copy(f, o);
  o = f.writeUInt32LE(env.length, o);
  for (const b of env) o += b.copy(f, o);
  o = f.writeBigUInt64LE(BigInt(run.memoryKib), o);
  o += cwd.copy(f, o);
  f.set(run.stdin, o);
  return f;
}

type Pool = { readonly idle: ForkServer[]; unusable?: string };
const pools = new Map<string, Pool>();

/**
 * A server of `cmd` with no run in flight, started if none is idle; undefined when `cmd` cannot be served here
 * (TCFUZZ_TRACE_TOOLS=1 says why, once). Start one run on it with `start`.
 */
export async function forkServer(cmd: string): Promise<ForkServer | undefined> {
  let pool = pools.get(cmd);
  if (!pool) pools.set(cmd, (pool = { idle: [] }));
  if (pool.unusable !== undefined) return undefined;
  for (let s = pool.idle.pop(); s; s = pool.idle.pop()) if (s.failure === undefined) return s;
  const refuse = (reason: string): undefined => {
    pool.unusable = reason;
    if (process.env.TCFUZZ_TRACE_TOOLS) process.stderr.write(`[tcfuzz] no fork server for ${cmd}: ${reason}\n`);
    return undefined;
  };
  if (process.env.TCFUZZ_FORK_SERVER === 'off') return refuse('TCFUZZ_FORK_SERVER=off');
  // Another library preloaded by the user would be lost to the tool's runs, which the server starts without any.
  if (process.env.LD_PRELOAD) return refuse('LD_PRELOAD is already set');
  // Anything else would run once, with no arguments, before being found out.
  if (!dynamicElf(cmd)) return refuse('it is not a dynamically linked ELF executable');
  const lib = ensureForkServer();
  if (!lib.ok) return refuse(lib.reason);
  const child = spawnChild(cmd, [], {
    detached: true,
    // Binding every symbol at load leaves the runs no lazy binding to redo in each fork (mlir-opt: 14 -> 10 ms a run).
    env: { ...process.env, TCFUZZ_FORKSERVER: cmd, LD_PRELOAD: lib.path, LD_BIND_NOW: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const server = new ForkServer(child, (s) => pool.idle.push(s));
  if (!(await server.ready)) return refuse(server.failure ?? 'it did not start');
  return server;
}

/** Whether `cmd` (looked up on PATH like execvp) is a 64-bit little-endian ELF with an interpreter (PT_INTERP). */
function dynamicElf(cmd: string): boolean {
  const path = cmd.includes('/') ? cmd : (process.env.PATH ?? '').split(delimiter).map((d) => join(d, cmd)).find(isExecutable);
  if (!path) return false;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(64);
    if (readSync(fd, head, 0, 64, 0) < 64 || head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) return false;
    const phoff = Number(head.readBigUInt64LE(0x20));
    const size = head.readUInt16LE(0x36);
    const count = head.readUInt16LE(0x38);
    const table = Buffer.alloc(size * count);
    if (readSync(fd, table, 0, table.length, phoff) < table.length) return false;
    for (let k = 0; k < count; k++) if (table.readUInt32LE(k * size) === 3 /* PT_INTERP */) return true;
    return false;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}


