// Bad input, bad flags and mixed batches through the real CLI: one clear line and exit 2 for a user's mistake,
// never a stack trace, never a finding per program; findings still win in a mixed batch (issue 7).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../cli/main.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';

function capture() {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}
const fx = (f: string) => new URL(`../../fixtures/${f}`, import.meta.url).pathname;
const BIN = new URL('../../bin/tcfuzz.js', import.meta.url).pathname;

/** Runs the CLI in-process; asserts the usage-error contract: exit 2, one `tcfuzz:` line, no stack trace. */
async function usageError(argv: string[], message: RegExp): Promise<ReturnType<typeof capture>> {
  const io = capture();
  assert.equal(await main(argv, io), 2, `${argv.join(' ')}\n${io.stderr}`);
  assert.match(io.stderr, message, argv.join(' '));
  assert.doesNotMatch(io.stderr, /^\s+at /m, 'a stack trace');
  return io;
}

describe('user mistakes are one line and exit 2', { skip: toolchainSkip() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-bad-input-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const programs = join(dir, 'programs');
  mkdirSync(programs);
  copyFileSync(fx('cli/axpy.mlir'), join(programs, 'axpy.mlir'));

  it('a misspelt pass or option is validated once, up front, not reported per program', async () => {
    for (const [p, why] of [
      ['no-such-pass', /no-such-pass/],
      ['canonicalize{bogus-opt=1}', /bogus-opt/],
      ['canonicalize{max-iterations=abc}', /max-iterations|abc/],
    ] as const) {
      const io = await usageError(['check', programs, '-p', p], why);
      assert.doesNotMatch(io.stdout, /FAIL/);
      await usageError(['run', join(programs, 'axpy.mlir'), '--backend', 'native', '-p', p], why);
    }
  });

  it('flags given twice, empty values, and bad limits', async () => {
    await usageError(['check', programs, '--backends', 'interp', '--backends', 'native'], /--backends is given more than once/);
    await usageError(['gen', '--out', join(dir, 'a'), '--out', join(dir, 'b')], /--out is given more than once/);
    await usageError(['gen', '-o', ''], /--out needs a non-empty value/);
    await usageError(['check', programs, '--timeout', '0'], /--timeout must be a positive duration/);
    await usageError(['run', join(programs, 'axpy.mlir'), '--step-budget', '0'], /--step-budget must be at least 1/);
    await usageError(['chek', programs], /unknown command 'chek', did you mean check\?/);
  });

  it('gen refuses a file, a non-empty directory without --force, and clears only its own files with it', async () => {
    await usageError(['gen', '--out', '/etc/passwd'], /exists and is not a directory/);
    const out = join(dir, 'gen');
    assert.equal(await main(['gen', '-n', '5', '--out', out], capture()), 0);
    await usageError(['gen', '-n', '2', '--out', out], /already holds 6 files of an earlier gen; pass --force/);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    assert.equal(await main(['gen', '-n', '2', '--out', out, '--force'], capture()), 0);
    assert.deepEqual(readdirSync(out).sort(), ['manifest.json', 'notes.txt', 'prog-0000.mlir', 'prog-0001.mlir']);
  });

  it('the interpreter says it cannot run what a lowering pipeline produced', async () => {
    await usageError(['run', join(programs, 'axpy.mlir'), '-p', 'convert-scf-to-cf,convert-to-llvm'], /cannot run what the pipeline produced/);
  });

  it('nothing to check is an error, not 100% agreement', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(join(empty, 'sub'), { recursive: true });
    await usageError(['check', empty], /no \.mlir files found/);
  });

  it('directories are searched recursively, and each file is checked once', async () => {
    const nested = join(dir, 'nested', 'deeper');
    mkdirSync(nested, { recursive: true });
    copyFileSync(fx('cli/axpy.mlir'), join(nested, 'axpy.mlir'));
    const io = capture();
    assert.equal(await main(['check', join(dir, 'nested'), join(nested, 'axpy.mlir'), '--backends', 'interp', '--json'], io), 0, io.stderr);
    assert.equal(JSON.parse(io.stdout).cases, 1);
  });

  it('a FIFO is skipped with a message instead of hanging the batch', async () => {
    const fifoDir = join(dir, 'fifo');
    mkdirSync(fifoDir);
    copyFileSync(fx('cli/axpy.mlir'), join(fifoDir, 'axpy.mlir'));
    assert.equal(spawnSync('mkfifo', [join(fifoDir, 'pipe.mlir')]).status, 0);
    const io = capture();
    assert.equal(await main(['check', fifoDir, '--backends', 'interp', '--json'], io), 2);
    const r = JSON.parse(io.stdout);
    assert.equal(r.agree, 1);
    assert.deepEqual(r.invalid_inputs, [{ file: join(fifoDir, 'pipe.mlir'), message: 'not a regular file; skipped' }]);
  });

  it('standard input is one program', () => {
    const r = spawnSync(process.execPath, [BIN, 'check', '-', '--backends', 'interp', '--json'], { input: readFileSync(fx('cli/axpy.mlir')), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).agree, 1);
  });
});

describe('locations are in the user\'s file', { skip: toolchainSkip() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-loc-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('an op tcfuzz cannot read in a custom-syntax file is reported at its own line, not at mlir-opt\'s reprinting', async () => {
    const file = join(dir, 'loc.mlir');
    const lines = ['// header', 'func.func @main(%a: memref<4xindex>) {', '  %c0 = arith.constant 0 : index', '  %x = memref.load %a[%c0] : memref<4xindex>', '', '  // a comment', '', '  %y = vector.vscale', '  memref.store %y, %a[%c0] : memref<4xindex>', '  return', '}', ''];
    writeFileSync(file, lines.join('\n'));
    await usageError(['check', file, '--backends', 'interp'], new RegExp(`^${file}:8:8: error: unknown operation 'vector.vscale'$`, 'm'));
  });
});

describe('oversized inputs are unsupported, one line each, and the rest of the batch is kept', { skip: toolchainSkip() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-big-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const fn = (args: string, body = '') => `func.func @main(${args}) {\n${body}  return\n}\n`;

  it('huge argument buffers and a huge constant', async () => {
    writeFileSync(join(dir, 'a-huge-arg.mlir'), fn('%a: memref<100000000000xi8>'));
    writeFileSync(join(dir, 'b-big-arg.mlir'), fn('%a: memref<1000000000xi32>'));
    writeFileSync(
      join(dir, 'c-huge-constant.mlir'),
      fn('%a: memref<4xi32>', '  %v = arith.constant dense<1> : vector<1000000000xi32>\n  %c0 = arith.constant 0 : index\n  %x = vector.extract %v[0] : i32 from vector<1000000000xi32>\n  memref.store %x, %a[%c0] : memref<4xi32>\n'),
    );
    copyFileSync(fx('cli/axpy.mlir'), join(dir, 'd-axpy.mlir'));
    const io = capture();
    assert.equal(await main(['check', dir, '--backends', 'interp,native'], io), 2, io.stderr);
    assert.match(io.stderr, /a-huge-arg\.mlir: error: unsupported: the entry's buffers take 100000000000 bytes/);
    assert.match(io.stderr, /b-big-arg\.mlir: error: unsupported: the entry's buffers take 4000000000 bytes/);
    assert.match(io.stdout, /^UNSUPPORTED .*c-huge-constant\.mlir: arith\.constant: vector<1000000000xi32> has more elements than the interpreter's limit/m);
    assert.match(io.stdout, /cases 2 {2}judged 1 {2}agree 1 /);
  });
});

describe('--json always prints one JSON object', { skip: toolchainSkip() }, () => {
  it('after a usage error, an unreadable file, and a bad pipeline', async () => {
    for (const argv of [
      ['check', fx('cli/axpy.mlir'), '--bogus-flag', '--json'],
      ['check', '/nonexistent/x.mlir', '--json'],
      ['check', fx('cli/axpy.mlir'), '-p', 'no-such-pass', '--json'],
      ['run', fx('cli/axpy.mlir'), '-p', 'no-such-pass', '--json'],
    ]) {
      const io = capture();
      assert.equal(await main(argv, io), 2, argv.join(' '));
      const r = JSON.parse(io.stdout);
      assert.ok(r.error || r.invalid_inputs?.length, argv.join(' '));
    }
  });

  it('records the parameters that reproduce the run, and each invalid file with its location', async () => {
    const io = capture();
    await main(['check', fx('cli/axpy.mlir'), fx('cli/bad-type.mlir'), '--backends', 'interp', '--input-seed', '7', '--json'], io);
    const r = JSON.parse(io.stdout);
    assert.equal(r.parameters.input_seed, 7);
    assert.equal(r.parameters.backends, 'interp');
    assert.match(r.parameters.tcfuzz, /^\d+\.\d+\.\d+$/);
    assert.match(r.parameters.toolchain, /^22\./);
    assert.equal(r.invalid_inputs.length, 1);
    assert.equal(r.invalid_inputs[0].line, 4);
  });
});

describe('exit codes', { skip: toolchainSkip() }, () => {
  it('a finding wins over an invalid file in the same batch (77, not 2)', async () => {
    const io = capture();
    const code = await main(['check', fx('interpreter/mlir-bugs/clampf-expand.mlir'), fx('cli/bad-type.mlir'), '--backends', 'interp,native'], io);
    assert.match(io.stdout, /DISAGREE .*clampf-expand\.mlir interp vs native/);
    assert.equal(code, 77);
  });

  it('UB is not a finding, and an all-clean batch exits 0', async () => {
    assert.equal(await main(['check', fx('cli/div-by-zero.mlir'), fx('cli/axpy.mlir'), '--backends', 'interp,native'], capture()), 0);
  });
});

describe('fmt', { skip: toolchainSkip() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-fmt-bad-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads custom syntax, keeps the header comments, and never overwrites an input', async () => {
    const file = join(dir, 'axpy.mlir');
    writeFileSync(file, '// provenance: hand-written\n' + readFileSync(fx('cli/axpy.mlir'), 'utf8').replace(/^(\/\/.*\n)+/, ''));
    const before = readFileSync(file, 'utf8');
    const io = capture();
    assert.equal(await main(['fmt', file], io), 0, io.stderr);
    assert.match(io.stdout, /^\/\/ provenance: hand-written\n"builtin\.module"\(\) \(\{/);
    const again = capture();
    assert.equal(await main(['fmt', '--out', dir, file], again), 2);
    assert.match(again.stderr, /not written: it is an input file/);
    assert.equal(readFileSync(file, 'utf8'), before);
  });
});
