// Golden tests of `tcfuzz run` against live mlir-runner on programs in MLIR's integration-test style: each
// `// RUN: -e NAME -entry-point-result=R [tcfuzz flags]` line of a fixture in fixtures/interpreter/entry runs NAME
// both ways, and tcfuzz's stdout must equal mlir-runner's byte for byte.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { main } from '../../cli/main.ts';
import { FIXTURES } from '../reference/fixtures.ts';
import { runNative } from '../reference/native-harness.ts';
import { cli } from '../helpers/cli.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';

const skip = toolchainSkip();
const DIR = join(FIXTURES, 'entry');

type Run = { entry: string; result: 'void' | 'i32' | 'i64' | 'f32'; flags: string[] };

function runsOf(text: string): Run[] {
  return [...text.matchAll(/^\/\/ RUN: -e (\S+) -entry-point-result=(void|i32|i64|f32)(.*)$/gm)].map((m) => ({
    entry: m[1]!,
    result: m[2] as Run['result'],
    flags: m[3]!.trim().split(/\s+/).filter(Boolean),
  }));
}

async function tcfuzzRun(file: string, r: Run): Promise<{ code: number; stdout: Uint8Array; stderr: string }> {
  const chunks: Uint8Array[] = [];
  let stderr = '';
  const io = {
    out: (t: string) => void chunks.push(Buffer.from(t, 'latin1')),
    outBytes: (b: Uint8Array) => void chunks.push(Uint8Array.from(b)),
    err: (t: string) => void (stderr += t),
  };
  const code = await main(['run', file, '--entry', r.entry, ...r.flags], io);
  return { code, stdout: Buffer.concat(chunks), stderr };
}

describe('tcfuzz run --entry matches mlir-runner -e', { skip }, () => {
  for (const name of skip ? [] : readdirSync(DIR).filter((f) => f.endsWith('.mlir')).sort()) {
    const file = join(DIR, name);
    const text = readFileSync(file, 'utf8');
    const runs = runsOf(text);
    test(`${name} has RUN lines`, () => assert.ok(runs.length > 0));
    for (const r of runs) {
      test(`${name}: -e ${r.entry} -entry-point-result=${r.result}${r.flags.length ? ' ' + r.flags.join(' ') : ''}`, async () => {
        const [ours, native] = await Promise.all([tcfuzzRun(file, r), runNative(text, r.entry, 60_000, '', r.result)]);
        assert.ok(native.ok, native.ok ? '' : native.error);
        assert.equal(ours.code, 0, ours.stderr);
        if (native.ok) assert.equal(Buffer.from(ours.stdout).toString('latin1'), Buffer.from(native.stdout).toString('latin1'));
      });
    }
  }
});

describe('entry selection', () => {
  test('a scalar result runs on the interpreter only, and check refuses it with the reason', async () => {
    const file = join(DIR, 'scalar-results.mlir');
    const io = await cli(['run', file, '--entry', 'answer', '--backend', 'native']);
    assert.equal(io.code, 2);
    assert.match(io.err, /@answer returns i32: only the interp backend prints an entry's result/);
    const c = await cli(['check', file, '--entry', 'answer', '--backends', 'interp']);
    assert.equal(c.code, 2);
    assert.match(c.err, /@answer returns i32; outputs go in its argument buffers \(tcfuzz run prints a returned scalar\)/);
  });
  test('check runs the named entry on every backend', { skip }, async () => {
    const io = await cli(['check', join(DIR, 'named-entry.mlir'), '--entry', 'second', '--backends', 'interp,native,wasm']);
    assert.equal(io.code, 0, io.err + io.out);
    assert.match(io.out, /cases 1 {2}judged 1 {2}agree 1 /);
  });
  test('an entry that does not exist is named', async () => {
    const io = await cli(['run', join(DIR, 'named-entry.mlir'), '--entry', 'nope']);
    assert.equal(io.code, 2);
    assert.match(io.err, /no func.func @nope/);
  });
});

describe('index width is the run\'s', () => {
  const file = join(DIR, 'index-64.mlir');
  test('at --index-bitwidth 32 an index value beyond int32 is unportable, not UB', async () => {
    const io = await cli(['run', file, '--index-bitwidth', '32']);
    assert.equal(io.code, 77);
    assert.match(io.err, /outcome: unportable \(arith.muli .*outside int32/);
  });
  test('a backend keeps its own width', async () => {
    const io = await cli(['run', file, '--backend', 'wasm', '--index-bitwidth', '64']);
    assert.equal(io.code, 2);
    assert.match(io.err, /--index-bitwidth 64: backend wasm has a 32-bit index/);
  });
  test('check judges at 64 without a 32-bit backend, and calls it unportable with one', { skip }, async () => {
    const native = await cli(['check', file, '--backends', 'interp,native']);
    assert.equal(native.code, 0, native.err + native.out);
    assert.match(native.out, /judged 1 {2}agree 1 /);
    const wasm = await cli(['check', file, '--backends', 'interp,native,wasm']);
    assert.equal(wasm.code, 0, wasm.err + wasm.out);
    assert.match(wasm.out, /unportable 1 /);
  });
});
