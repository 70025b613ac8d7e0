// Shared by the backend tests: typed values ⇄ argument-buffer bytes, fixture loading, skip-if-no-toolchain.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { elementBytes } from '../../../ir/inputs.ts';
import { floatBits, floatFromBits } from '../../../numeric/float.ts';
import type { MemRefType } from '../../../ir/types.ts';
import { numElements } from '../../../ir/types.ts';
import { execute } from '../../../check/execute.ts';
import type { Program } from '../../../contracts/case.ts';
import type { ExecOutcome } from '../../../contracts/outcome.ts';
import type { Pipeline } from '../../../contracts/pipeline.ts';
import type { ExecOptions, Executor } from '../../../contracts/target.ts';
import { entryArgs, entryBuffer } from '../../../ir/entry-abi.ts';
import { parseModule } from '../../../ir/parser/index.ts';
import { genericForms } from '../../helpers/toolchain.ts';
export { toolchainSkip } from '../../helpers/toolchain.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FIXTURES = join(ROOT, 'fixtures', 'backends');

/** A program as the backend tests write it: MLIR text (any syntax) and @main's buffer types. */
export type TestProgram = { readonly text: string; readonly args: readonly MemRefType[] };

/** A fixture program; @main's types come from ir/entry-abi.ts, through mlir-opt's generic printing. */
export function loadProgram(name: string): TestProgram {
  const text = readFileSync(join(FIXTURES, 'programs', name), 'utf8');
  return { text, args: entryArgs(parseModule(genericForms([text])[0]!, name), 'main', name) };
}

export type TestRunOptions = ExecOptions & { readonly pipeline?: Pipeline };

/** An outcome without its timings, for comparing two runs. */
export function withoutMs(o: ExecOutcome): Omit<ExecOutcome, 'ms'> {
  const { ms: _ms, ...rest } = o;
  return rest;
}

/** An executor with the one-call shape the backend tests use: compile and run, one program or a batch. */
export function runner(e: Executor) {
  const program = (p: TestProgram): Program => ({ text: p.text, entry: { name: 'main', args: p.args.map(entryBuffer) } });
  const runBatch = (items: readonly { program: TestProgram; inputs: readonly Uint8Array[] }[], opts: TestRunOptions = {}): Promise<ExecOutcome[]> =>
    execute(e, items.map((it) => ({ program: program(it.program), inputs: it.inputs, ...(opts.pipeline && { pipeline: opts.pipeline }) })), opts);
  return {
    executor: e,
    runBatch,
    run: async (p: TestProgram, inputs: readonly Uint8Array[], opts: TestRunOptions = {}): Promise<ExecOutcome> => (await runBatch([{ program: p, inputs }], opts))[0]!,
    close: () => e.close(),
  };
}

/** Element values → buffer bytes in the input ABI: ints wrap to their width, floats round to their format. */
export function encode(t: MemRefType, values: readonly (number | bigint)[], indexBytes: number): Uint8Array {
  const n = numElements(t.shape);
  if (values.length !== n) throw new Error(`expected ${n} values, got ${values.length}`);
  const eb = elementBytes(t.elem, indexBytes);
  const out = new Uint8Array(n * eb);
  values.forEach((v, k) => {
    const e = t.elem;
    let bits: bigint;
    if (e.kind === 'float') bits = floatBits(e.name, Number(v));
    else {
      const w = e.kind === 'int' ? e.width : indexBytes * 8;
      bits = BigInt.asUintN(w, BigInt(v));
    }
    for (let b = 0; b < eb; b++) out[k * eb + b] = Number((bits >> BigInt(8 * b)) & 0xffn);
  });
  return out;
}

/** Buffer bytes → element values: integers sign-extended from their width (bigint; i1 reads 0/1), floats as numbers. */
export function decode(t: MemRefType, bytes: Uint8Array, indexBytes: number): (number | bigint)[] {
  const eb = elementBytes(t.elem, indexBytes);
  const out: (number | bigint)[] = [];
  for (let off = 0; off < bytes.length; off += eb) {
    let bits = 0n;
    for (let b = eb - 1; b >= 0; b--) bits = (bits << 8n) | BigInt(bytes[off + b]!);
    const e = t.elem;
    if (e.kind === 'float') out.push(floatFromBits(e.name, bits));
    else if (e.kind === 'int' && e.width === 1) out.push(bits & 1n);
    else out.push(BigInt.asIntN(e.kind === 'int' ? e.width : indexBytes * 8, bits));
  }
  return out;
}

/** Distance in units in the last place between two floats of the given format (0 when bit-identical). */
export function ulpDistance(a: number, b: number, single: boolean): number {
  if (Object.is(a, b)) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  const dv = new DataView(new ArrayBuffer(8));
  const ord = (x: number): number => {
    if (single) {
      dv.setFloat32(0, x);
      const u = dv.getInt32(0);
      return u < 0 ? -(u & 0x7fffffff) : u;
    }
    dv.setFloat64(0, x);
    const u = dv.getBigInt64(0);
    return Number(u < 0n ? -(u & 0x7fffffffffffffffn) : u);
  };
  return Math.abs(ord(a) - ord(b));
}
