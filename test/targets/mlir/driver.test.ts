// The tool driver with small shell stand-ins for misbehaving tools, and the classifier on real LLVM output.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runTool } from '../../../exec/tool-driver.ts';
import { classify, parseDiagnostics, parseFailureDumps, topFrames } from '../../../targets/mlir/diagnostics.ts';
import { findToolchain } from '../../../targets/mlir/toolchain.ts';
import { FIXTURES, toolchainSkip } from './helpers.ts';

const SH = '/bin/sh';

/** Running, as opposed to gone or a zombie nobody reaped yet (kill(pid, 0) succeeds on zombies). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

// Every behaviour holds whether the tool is spawned or forked from a fork server (exec/fork-server.ts).
for (const forkServer of [false, true]) describe(forkServer ? 'runTool, forked from a fork server' : 'runTool, spawned', () => {
  it('kills the whole process group on timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-driver-'));
    const pidFile = join(dir, 'child.pid');
    // The tool starts a grandchild and both sleep: a plain kill of the tool would leave the grandchild running.
    const r = await runTool({ forkServer, cmd: SH, args: ['-c', `sleep 30 & echo $! > ${pidFile}; sleep 30`], timeoutMs: 300 });
    assert.equal(r.timedOut, true);
    assert.equal(classify(r).kind, 'hang');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    for (let k = 0; k < 50 && alive(grandchild); k++) await new Promise((res) => setTimeout(res, 20));
    assert.equal(alive(grandchild), false, 'the grandchild survived the timeout');
  });

  it('applies the memory limit', async () => {
    const r = await runTool({ forkServer, cmd: SH, args: ['-c', 'ulimit -v'], memoryLimitMb: 123 });
    assert.equal(r.stdout.trim(), String(123 * 1024));
    const none = await runTool({ forkServer, cmd: SH, args: ['-c', 'ulimit -v'], memoryLimitMb: 0 });
    assert.equal(none.stdout.trim(), 'unlimited');
  });

  it('passes stdin through and captures stdout, stderr and the exit code', async () => {
    const input = 'x'.repeat(1 << 20);
    const r = await runTool({ forkServer, cmd: SH, args: ['-c', 'cat; echo oops >&2; exit 3'], stdin: input });
    assert.equal(r.stdout, input);
    assert.equal(r.stderr, 'oops\n');
    assert.equal(r.exitCode, 3);
    assert.equal(classify(r).kind, 'error');
  });

  it('returns stdout as exact bytes on request, and only then', async () => {
    // \xff\xfe is not UTF-8: decoding would replace it.
    const r = await runTool({ forkServer, cmd: SH, args: ['-c', "printf 'a\\377\\376\\n'"], stdoutBinary: true });
    assert.deepEqual(r.stdoutBytes && [...r.stdoutBytes], [0x61, 0xff, 0xfe, 0x0a]);
    const plain = await runTool({ forkServer, cmd: SH, args: ['-c', 'echo a'] });
    assert.equal(plain.stdoutBytes, undefined);
    assert.equal(plain.stdout, 'a\n');
  });

  it('reports a signal as a crash', async () => {
    const r = await runTool({ forkServer, cmd: SH, args: ['-c', 'kill -SEGV $$'] });
    assert.equal(r.signal, 'SIGSEGV');
    const c = classify(r);
    assert.equal(c.kind, 'crash');
    assert.equal(c.kind === 'crash' && c.crash.signal, 'SIGSEGV');
  });

  it('stops a tool that floods stdout', async () => {
    const r = await runTool({ forkServer, cmd: SH, args: ['-c', 'yes'], maxOutputBytes: 100_000, timeoutMs: 10_000 });
    assert.equal(r.outputLimited, true);
    assert.ok(r.stdout.length <= 100_000 + 65_536);
    assert.equal(classify(r).kind, 'output-limit');
  });

  it('watchdog: kills a tool that goes quiet, spares one that keeps talking', async () => {
    const quiet = await runTool({ forkServer, cmd: SH, args: ['-c', 'echo a; sleep 30'], watchdog: { firstMs: 2000, idleMs: 200 } });
    assert.equal(quiet.timedOut, true);
    assert.equal(quiet.stdout, 'a\n');
    const chatty = await runTool({
      forkServer,
      cmd: SH,
      args: ['-c', 'for i in 1 2 3 4 5; do echo $i; sleep 0.1; done'],
      watchdog: { firstMs: 2000, idleMs: 400 },
    });
    assert.equal(chatty.timedOut, false);
    assert.equal(chatty.exitCode, 0);
  });

  it('reports a missing executable without throwing', async () => {
    const r = await runTool({ forkServer, cmd: '/nonexistent/tool', args: [], memoryLimitMb: 0 });
    assert.equal(classify(r).kind, 'spawn-error');
  });
});

describe('classifying real LLVM output', { skip: toolchainSkip() }, () => {
  it('an llc crash: LLVM ERROR, pass context and top frames (fixtures/backends/bugs/llc-wasm32-fptrunc-bf16.ll)', async () => {
    const tc = findToolchain();
    const ll = readFileSync(join(FIXTURES, 'bugs', 'llc-wasm32-fptrunc-bf16.ll'), 'utf8');
    const r = await runTool({ cmd: tc.path('llc'), args: ['-mtriple=wasm32-unknown-unknown', '-o', '/dev/null', '-'], stdin: ll });
    const c = classify(r);
    assert.equal(c.kind, 'crash');
    if (c.kind !== 'crash') return;
    assert.match(c.crash.message ?? '', /^Cannot select: .*fp_to_bf16/);
    assert.ok(c.crash.context.some((l) => /WebAssembly Instruction Selection/.test(l)), c.crash.context.join('\n'));
    // The reporting machinery (PrintStackTrace, abort...) is cut; what is left starts inside LLVM's own code.
    const top = topFrames(c.crash, 3);
    assert.equal(top.length, 3);
    assert.ok(!top.some((f) => /PrintStackTrace|abort|raise/.test(f)), top.join(' | '));
  });

  it('mlir-opt diagnostics: location, severity, attached notes', async () => {
    const tc = findToolchain();
    const r = await runTool({
      cmd: tc.path('mlir-opt'),
      args: ['-'],
      stdin: 'func.func @f(%a: i32) {\n  %b = arith.addi %a, %a : i64\n  return\n}\n',
    });
    const c = classify(r);
    assert.equal(c.kind, 'error');
    const d = parseDiagnostics(r.stderr);
    assert.equal(d.length, 1);
    assert.deepEqual([d[0]!.file, d[0]!.line, d[0]!.col, d[0]!.severity], ['<stdin>', 2, 19, 'error']);
    assert.match(d[0]!.message, /expects different type/);
    assert.equal(d[0]!.notes.length, 1);
    assert.equal(d[0]!.notes[0]!.severity, 'note');
  });

  it('IR dumps after a failing pass name the pass', async () => {
    const tc = findToolchain();
    const r = await runTool({
      cmd: tc.path('mlir-opt'),
      args: ['--mlir-print-ir-after-failure', '--pass-pipeline=builtin.module(func.func(test-pass-failure))', '-'],
      stdin: 'func.func @f() {\n  return\n}\n',
    });
    const dumps = parseFailureDumps(r.stderr);
    assert.equal(dumps.length, 1);
    assert.equal(dumps[0]!.passArg, 'test-pass-failure');
    assert.match(dumps[0]!.ir, /func\.func @f/);
  });
});

describe('parseDiagnostics formats', () => {
  it('reads the location forms LLVM tools use', () => {
    const text = [
      'loc("x.mlir":3:4): error: from mlir-runner',
      '<unknown>:0: error: no location',
      'wasm-ld: error: m.o: undefined symbol: foo',
      'llc: error: llc: <stdin>:5:3: error: expected instruction',
      'a.mlir:7: warning: line only',
    ].join('\n');
    const d = parseDiagnostics(text);
    assert.deepEqual(
      d.map((x) => [x.file, x.line, x.col, x.severity]),
      [
        ['x.mlir', 3, 4, 'error'],
        [undefined, undefined, undefined, 'error'],
        [undefined, undefined, undefined, 'error'],
        // llc wraps the parser's located diagnostic in its own prefix; the inner location wins.
        ['<stdin>', 5, 3, 'error'],
        ['a.mlir', 7, undefined, 'warning'],
      ],
    );
    assert.equal(d[2]!.message, 'm.o: undefined symbol: foo');
    assert.equal(d[3]!.message, 'expected instruction');
  });
  it('finds nothing in output that has no diagnostics', () => {
    assert.deepEqual(parseDiagnostics(execFileSync(SH, ['-c', 'echo hello; echo error without colon']).toString()), []);
  });
});
