// The one typed facade over native/: where the C helpers are, how to build them, and bufio's file formats.
// Nothing else in tcfuzz knows the byte layout bufio reads and writes, or the reaper's argument order.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUILD_DIR = join(root, 'build');
export const BUFIO_SOURCE = join(root, 'native', 'bufio.c');
export const BUFIO_LIBRARY = join(BUILD_DIR, 'libtcfuzz_bufio.so');
export const REAPER_SOURCE = join(root, 'native', 'reaper.c');
export const REAPER_PROGRAM = join(BUILD_DIR, 'tcfuzz-reaper');
export const FORKSERVER_SOURCE = join(root, 'native', 'forkserver.c');
export const FORKSERVER_LIBRARY = join(BUILD_DIR, 'libtcfuzz_forkserver.so');

export type NativeBuild = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

export function isStale(source: string, output: string): boolean {
  return !existsSync(output) || statSync(output).mtimeMs < statSync(source).mtimeMs;
}

/**
 * `output`, compiled from `source` by `compiler` when missing or older than it (scripts/setup.sh does the same
 * ahead of time). Concurrent workers may race here: each compiles to its own temporary name and renames atomically.
 */
export function buildIfStale(source: string, output: string, compiler: string, args: readonly string[]): NativeBuild {
  try {
    if (!isStale(source, output)) return { ok: true, path: output };
    mkdirSync(dirname(output), { recursive: true });
    const tmp = `${output}.${process.pid}.tmp`;
    execFileSync(compiler, ['-O2', ...args, '-o', tmp, source], { stdio: ['ignore', 'ignore', 'pipe'] });
    renameSync(tmp, output);
    return { ok: true, path: output };
  } catch (e) {
    return { ok: false, reason: `cannot build ${output} from ${source}: ${(e as Error).message.split('\n')[0]}` };
  }
}

const cc = (): string => process.env.CC ?? 'cc';

let bufio: NativeBuild | undefined;

/** The buffer I/O library that the native harness links into mlir-runner. */
export function ensureBufio(): NativeBuild {
  if (!bufio?.ok) bufio = buildIfStale(BUFIO_SOURCE, BUFIO_LIBRARY, cc(), ['-shared', '-fPIC']);
  return bufio;
}

let reaper: NativeBuild | undefined;

/** The exec wrapper that ties a child's life to tcfuzz's (see reaper.c). Built at most once per process. */
export function ensureReaper(): NativeBuild {
  return (reaper ??= buildIfStale(REAPER_SOURCE, REAPER_PROGRAM, cc(), []));
}

let forkServer: NativeBuild | undefined;

/** The library that turns a loaded tool into a server of forked runs (see forkserver.c). Built at most once per process. */
export function ensureForkServer(): NativeBuild {
  return (forkServer ??= buildIfStale(FORKSERVER_SOURCE, FORKSERVER_LIBRARY, cc(), ['-shared', '-fPIC']));
}

/**
 * argv that runs `cmd args` as a child which gets SIGKILL when this process dies, under an address-space limit
 * (0: none). `cmd` is looked up on PATH like execvp. The child keeps the pid, process group and session it is
 * spawned with.
 */
export function reaperArgv(reaperPath: string, cmd: string, args: readonly string[], memoryLimitMb: number): [string, string[]] {
  return [reaperPath, [String(process.pid), String(Math.max(0, Math.floor(memoryLimitMb * 1024))), cmd, ...args]];
}

/** How the reaper reports that it could not exec the command: the rest of the line is the reason. */
export const REAPER_EXEC_FAILED = 'tcfuzz-reaper: cannot exec ';

/** u64 count, u64 offsets[count + 1], then every program's argument bytes in order (all little-endian). */
export function encodeInputFile(programs: readonly (readonly Uint8Array[])[]): Buffer {
  const headerBytes = 8 * (programs.length + 2);
  const sizes = programs.map((bufs) => bufs.reduce((n, b) => n + b.length, 0));
  const total = headerBytes + sizes.reduce((a, b) => a + b, 0);
  const out = Buffer.alloc(total);
  out.writeBigUInt64LE(BigInt(programs.length), 0);
  let off = headerBytes;
  programs.forEach((bufs, k) => {
    out.writeBigUInt64LE(BigInt(off), 8 * (k + 1));
    for (const b of bufs) {
      out.set(b, off);
      off += b.length;
    }
  });
  out.writeBigUInt64LE(BigInt(off), 8 * (programs.length + 1));
  return out;
}

/** Output buffers per program index, in the order the harness handed them back. A truncated tail is ignored. */
export function decodeOutputFile(data: Uint8Array): Map<number, Uint8Array[]> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Map<number, Uint8Array[]>();
  let off = 0;
  while (off + 16 <= data.length) {
    const k = Number(view.getBigUint64(off, true));
    const n = Number(view.getBigUint64(off + 8, true));
    if (off + 16 + n > data.length) break;
    const bufs = out.get(k) ?? [];
    bufs.push(Uint8Array.from(data.subarray(off + 16, off + 16 + n)));
    out.set(k, bufs);
    off += 16 + n;
  }
  return out;
}

export type StdoutSegments = {
  /** The bytes each program printed, by program index. */
  readonly stdout: ReadonlyMap<number, Uint8Array>;
  /** Programs whose end marker was printed (they returned normally). */
  readonly ended: ReadonlySet<number>;
  /** The program that had begun but not ended when output stopped. */
  readonly running?: number;
};

/** Splits stdout on the "\x1eB<k>\x1e" / "\x1eE<k>\x1e" markers bufio prints around each program. */
export function splitStdout(stdout: Uint8Array): StdoutSegments {
  // Searched as latin1 (one char per byte), so string offsets are byte offsets and any bytes survive.
  const text = Buffer.from(stdout.buffer, stdout.byteOffset, stdout.byteLength).toString('latin1');
  const parts = new Map<number, Uint8Array[]>();
  const ended = new Set<number>();
  let running: number | undefined;
  let last = 0;
  const take = (k: number, end: number): void => void parts.get(k)!.push(stdout.subarray(last, end));
  const re = /\x1e([BE])(\d+)\x1e/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (running !== undefined) take(running, m.index);
    const k = Number(m[2]);
    if (m[1] === 'B') {
      running = k;
      parts.set(k, []);
    } else {
      ended.add(k);
      running = undefined;
    }
    last = re.lastIndex;
  }
  if (running !== undefined) take(running, text.length);
  const out = new Map<number, Uint8Array>();
  for (const [k, chunks] of parts) out.set(k, Uint8Array.from(Buffer.concat(chunks)));
  return running !== undefined ? { stdout: out, ended, running } : { stdout: out, ended };
}
