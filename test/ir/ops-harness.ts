// Test helper: runs many small MLIR programs through one mlir-opt call (--split-input-file) and reports,
// per program, the errors mlir-opt gave.
import { genericForms, mlirOptSync, SPLIT } from '../helpers/toolchain.ts';

/** What mlir-opt says when it crashes; the run's later chunks are then never checked. */
export const CRASHED = 'mlir-opt crashed';

/**
 * The error lines mlir-opt printed for each chunk, in order; an empty list means mlir-opt accepted it.
 * A chunk that crashes mlir-opt gets [CRASHED]; the chunks around it are rerun in smaller batches.
 */
export function mlirOptErrors(chunks: readonly string[], extraArgs: readonly string[] = []): string[][] {
  const starts: number[] = [];
  let line = 1;
  const parts: string[] = [];
  for (const c of chunks) {
    const text = c.endsWith('\n') ? c : c + '\n';
    starts.push(line);
    parts.push(text);
    line += text.split('\n').length - 1;
    parts.push(SPLIT + '\n');
    line += 1;
  }
  const r = mlirOptSync(['--split-input-file', ...extraArgs, '-o', '/dev/null', '-'], parts.join(''));
  if (r.signal !== null || r.stderr.includes('PLEASE submit a bug report')) {
    if (chunks.length === 1) return [[CRASHED]];
    const half = chunks.length >> 1;
    return [...mlirOptErrors(chunks.slice(0, half), extraArgs), ...mlirOptErrors(chunks.slice(half), extraArgs)];
  }
  const out: string[][] = chunks.map(() => []);
  for (const l of r.stderr.split('\n')) {
    const m = /^<stdin>:(\d+):\d+: error: (.*)$/.exec(l);
    if (!m) continue;
    const at = Number(m[1]);
    let k = starts.length - 1;
    while (k > 0 && starts[k]! > at) k--;
    out[k]!.push(m[2]!);
  }
  if (r.status !== 0 && out.every((e) => e.length === 0)) throw new Error(`mlir-opt failed without located errors:\n${r.stderr}`);
  return out;
}

/** Custom-syntax programs to generic form with attribute aliases inlined (what tcfuzz parses), in one call. */
export function toGeneric(texts: readonly string[]): string[] {
  return genericForms(texts, ['--mlir-print-local-scope']);
}
