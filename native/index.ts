// The one typed facade over native/bufio.c: where the library is, how to build it, and its file formats.
// Nothing else in tcfuzz knows the byte layout bufio reads and writes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUFIO_SOURCE = join(root, 'native', 'bufio.c');
export const BUFIO_LIBRARY = join(root, 'build', 'libtcfuzz_bufio.so');

export type BufioBuild = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

let built: BufioBuild | undefined;

/**
 * The helper library, built when missing or older than its source (scripts/setup.sh does the same ahead of time).
 * Concurrent workers may race here: each compiles to its own temporary name and renames atomically.
 */
export function ensureBufio(): BufioBuild {
  if (built?.ok) return built;
  try {
    if (existsSync(BUFIO_LIBRARY) && statSync(BUFIO_LIBRARY).mtimeMs >= statSync(BUFIO_SOURCE).mtimeMs) {
      return (built = { ok: true, path: BUFIO_LIBRARY });
    }
    mkdirSync(dirname(BUFIO_LIBRARY), { recursive: true });
    const tmp = `${BUFIO_LIBRARY}.${process.pid}.tmp`;
    const cc = process.env.CC ?? 'cc';
    execFileSync(cc, ['-O2', '-shared', '-fPIC', '-o', tmp, BUFIO_SOURCE], { stdio: ['ignore', 'ignore', 'pipe'] });
    renameSync(tmp, BUFIO_LIBRARY);
    return (built = { ok: true, path: BUFIO_LIBRARY });
  } catch (e) {
    return (built = { ok: false, reason: `cannot build ${BUFIO_LIBRARY} from ${BUFIO_SOURCE}: ${(e as Error).message.split('\n')[0]}` });
  }
}

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
