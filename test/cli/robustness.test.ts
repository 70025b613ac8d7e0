// Damaged and oversized inputs, generated: truncated files, flipped and binary bytes, non-UTF-8, huge shapes and
// deep nesting, each checked in a batch beside a good program. Whatever the damage, tcfuzz answers with a line per
// bad file and exit 2 (or judges the file, if the damage left a valid program), never a stack trace, and the good
// program's result is never lost.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { main } from '../../cli/main.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';

const fx = (f: string) => readFileSync(new URL(`../../fixtures/${f}`, import.meta.url));
const GOOD = fx('cli/axpy.mlir');
const SOURCES = [GOOD, fx('cli/print.mlir'), fx('backends/programs/vector-ops.mlir')];

/** One kind of damage to a program's bytes. */
const damage: fc.Arbitrary<Uint8Array> = fc.oneof(
  // truncated anywhere
  fc.tuple(fc.constantFrom(...SOURCES), fc.double({ min: 0, max: 1, noNaN: true })).map(([s, f]) => s.subarray(0, Math.floor(s.length * f))),
  // bytes flipped
  fc.tuple(fc.constantFrom(...SOURCES), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })).map(([s, edits]) => {
    const out = new Uint8Array(s);
    for (const [at, b] of edits) out[at % out.length] = b;
    return out;
  }),
  // binary garbage, including invalid UTF-8
  fc.uint8Array({ minLength: 0, maxLength: 400 }),
  // a shape made enormous
  fc.tuple(fc.constantFrom(...SOURCES), fc.constantFrom('100000000000', '4294967296', '9223372036854775807', '0')).map(([s, d]) =>
    new TextEncoder().encode(new TextDecoder().decode(s).replace(/memref<(\d+)/, `memref<${d}`)),
  ),
  // deep nesting of regions
  fc.integer({ min: 50, max: 3000 }).map((depth) => new TextEncoder().encode(nested(depth))),
);

function nested(depth: number): string {
  const open = '  "scf.execute_region"() ({\n'.repeat(depth);
  const close = '    "scf.yield"() : () -> ()\n  }) : () -> ()\n'.repeat(depth);
  return `"builtin.module"() ({\n  "func.func"() <{function_type = () -> (), sym_name = "main"}> ({\n${open}${close.replace(/\n  \}\) : \(\) -> \(\)\n$/, '\n')}    "func.return"() : () -> ()\n  }) : () -> ()\n}) : () -> ()\n`;
}

describe('damaged and oversized inputs', { skip: toolchainSkip() }, () => {
  const root = mkdtempSync(join(tmpdir(), 'tcfuzz-robust-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  let run = 0;

  it('check, run and fmt answer each with a line and exit 2 or a verdict, and keep the good program', async () => {
    await fc.assert(
      fc.asyncProperty(damage, async (bytes) => {
        const dir = join(root, String(run++));
        mkdirSync(dir);
        writeFileSync(join(dir, 'a-good.mlir'), GOOD);
        writeFileSync(join(dir, 'b-damaged.mlir'), bytes);
        const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
        const code = await main(['check', dir, '--backends', 'interp', '--json'], io);
        assert.ok([0, 2, 77].includes(code), `exit ${code}`);
        assert.doesNotMatch(io.stderr, /^\s+at |RangeError|TypeError|Maximum call stack/m, 'a stack trace or a JS internal message');
        const r = JSON.parse(io.stdout);
        assert.ok(r.agree >= 1, 'the good program was judged');
        const listed = r.invalid_inputs.some((i: { file: string }) => i.file.endsWith('b-damaged.mlir'));
        assert.equal(listed || r.cases === 2, true, 'the damaged file is judged or listed with a reason');
        if (listed) assert.equal(code, 2);
        for (const argv of [['run', join(dir, 'b-damaged.mlir')], ['fmt', join(dir, 'b-damaged.mlir')]]) {
          const one = { stdout: '', stderr: '', out: (t: string) => void (one.stdout += t), err: (t: string) => void (one.stderr += t) };
          const c = await main(argv, one);
          assert.ok([0, 2, 77].includes(c), `${argv[0]}: exit ${c}`);
          assert.doesNotMatch(one.stderr, /^\s+at |RangeError|TypeError|Maximum call stack/m, `${argv[0]}: a stack trace`);
          if (c === 2) assert.match(one.stderr, /error: |tcfuzz: /, `${argv[0]}: exit 2 without a reason`);
        }
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
