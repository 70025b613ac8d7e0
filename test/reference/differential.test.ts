// Differential test against MLIR's own JIT: generated programs (the fuzzer's real input) run in the interpreter
// and through mlir-opt + mlir-runner; every output buffer must agree bit for bit (NaN by NaN-ness), except
// elements the interpreter marks as tainted by transcendental math, which only need to be close.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fillBuffer, elementBytes } from '../../ir/inputs.ts';
import { runMain } from '../../reference/index.ts';
import { latin1, normaliseStdoutText } from '../../oracles/normalise.ts';
import type { InterpOk } from '../../reference/index.ts';
import type { MemRefType } from '../../ir/types.ts';
import { bf16FromBits, f16FromBits } from '../../numeric/float.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';
import { generateFromSeed, programSeed } from '../../mutators/generate/index.ts';
import { runNativeBatch } from './native-harness.ts';

const skip = toolchainSkip();

function decode(t: MemRefType, b: Uint8Array): number | bigint {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const e = t.elem;
  if (e.kind === 'float') {
    if (e.name === 'f32') return dv.getFloat32(0, true);
    if (e.name === 'f64') return dv.getFloat64(0, true);
    return e.name === 'f16' ? f16FromBits(dv.getUint16(0, true)) : bf16FromBits(dv.getUint16(0, true));
  }
  let u = 0n;
  for (let k = b.length - 1; k >= 0; k--) u = (u << 8n) | BigInt(b[k]!);
  return u;
}

/** The first element where the runs disagree, or undefined. */
export function firstMismatch(args: readonly MemRefType[], interp: InterpOk, native: readonly Uint8Array[]): string | undefined {
  for (let j = 0; j < args.length; j++) {
    const t = args[j]!;
    const eb = elementBytes(t.elem);
    const a = interp.buffers[j]!;
    const b = native[j]!;
    if (a.length !== b.length) return `buffer ${j}: ${a.length} bytes vs ${b.length}`;
    for (let k = 0; k * eb < a.length; k++) {
      const x = a.subarray(k * eb, (k + 1) * eb);
      const y = b.subarray(k * eb, (k + 1) * eb);
      if (x.every((v, i) => v === y[i])) continue;
      const xv = decode(t, x);
      const yv = decode(t, y);
      if (typeof xv === 'number' && typeof yv === 'number') {
        if (Number.isNaN(xv) && Number.isNaN(yv)) continue;
        const tainted = interp.taint[j]?.[k] === 1;
        if (tainted && (Math.abs(xv - yv) <= 1e-4 * Math.max(Math.abs(xv), Math.abs(yv)) || Math.abs(xv - yv) < 1e-30)) continue;
      } else if (interp.taint[j]?.[k] === 1) continue;
      return `buffer ${j} element ${k}: interpreter ${xv}, mlir-runner ${yv}${interp.taint[j]?.[k] ? ' (tainted)' : ''}`;
    }
  }
  return undefined;
}

describe('generated programs: interpreter vs mlir-runner', { skip }, () => {
  test('outputs and stdout agree', async (t) => {
    const programs = [];
    let ub = 0;
    for (let k = 0; k < 30; k++) {
      const g = generateFromSeed(programSeed(2024, k));
      const inputs = g.args.map((t, i) => fillBuffer(t, 3, i));
      const r = runMain(g.module, inputs);
      assert.notEqual(r.kind, 'unsupported', JSON.stringify(r));
      if (r.kind === 'ub') {
        ub++;
        continue;
      }
      assert.equal(r.kind, 'ok', JSON.stringify(r));
      if (r.kind === 'ok') programs.push({ k, module: g.module, args: g.args, inputs, r });
    }
    const native = await runNativeBatch(programs);
    let compared = 0;
    const failures: string[] = [];
    programs.forEach((p, i) => {
      const n = native[i]!;
      if ('error' in n) return; // a lowering gap upstream, not an interpreter question
      compared++;
      const [want, got] = [normaliseStdoutText(latin1(n.stdout)), normaliseStdoutText(latin1(p.r.stdout))];
      if (want !== got) failures.push(`program ${p.k}: stdout ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
      const bad = firstMismatch(p.args, p.r, n.buffers);
      if (bad) failures.push(`program ${p.k}: ${bad}`);
    });
    t.diagnostic(`compared ${compared} of ${programs.length} programs (${ub} discarded as UB)`);
    assert.deepEqual(failures, []);
    assert.ok(compared >= 20, `only ${compared} of ${programs.length} programs ran natively (${ub} UB)`);
  });
});
