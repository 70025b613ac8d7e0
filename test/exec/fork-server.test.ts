// exec/fork-server.ts on real processes: /bin/sh (a dynamically linked glibc program) as a served tool, and the real
// mlir-opt, whose crash must read the same served as spawned. test/targets/mlir/driver.test.ts runs every runTool
// behaviour (timeouts, limits, watchdog, output cap) both ways.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureForkServer } from '../../native/index.ts';
import { runTool } from '../../exec/tool-driver.ts';
import { classify, topFrames } from '../../targets/mlir/diagnostics.ts';
import { findToolchain } from '../../targets/mlir/toolchain.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';

const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-forkserver-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const skip = ensureForkServer().ok ? undefined : 'no C compiler for native/forkserver.c';
const sh = (script: string) => runTool({ cmd: '/bin/sh', args: ['-c', script], forkServer: true });

describe('fork server', { skip }, () => {
  it('serves runs as forks of one long-lived copy of the tool, which leaves them no trace of itself', async () => {
    const a = await sh('echo $PPID');
    const b = await sh('echo $PPID');
    const server = Number(a.stdout);
    assert.equal(b.stdout, a.stdout, 'the second run came from another parent');
    assert.notEqual(server, process.pid);
    assert.equal(readFileSync(`/proc/${server}/cmdline`, 'utf8').split('\0')[0], '/bin/sh');
    const env = await sh('echo "${LD_PRELOAD-unset} ${TCFUZZ_FORKSERVER-unset}"');
    assert.equal(env.stdout, 'unset unset\n');
  });

  it('runs two runs in flight at once on two servers', async () => {
    const t0 = performance.now();
    const [a, b] = await Promise.all([sh('sleep 0.4; echo $PPID'), sh('sleep 0.4; echo $PPID')]);
    assert.notEqual(a.stdout, b.stdout);
    assert.ok(performance.now() - t0 < 750, 'the runs took turns');
  });

  it('gives each run its environment, directory and limits', async () => {
    const r = await runTool({ cmd: '/bin/sh', args: ['-c', 'echo "$X $(pwd) $(ulimit -v) $(ulimit -c)"'], env: { X: 'x y' }, cwd: dir, memoryLimitMb: 64, forkServer: true });
    assert.equal(r.stdout, `x y ${dir} ${64 * 1024} 0\n`);
    const next = await sh('echo "${X-unset}"');
    assert.equal(next.stdout, 'unset\n', 'one run’s environment leaked into the next');
  });

  it('spawns a tool it cannot serve, and runs it only once', async () => {
    const script = join(dir, 'tool.sh');
    const log = join(dir, 'runs.log');
    writeFileSync(script, `#!/bin/sh\necho "run $1" >> ${log}\necho "hi $1"\n`);
    chmodSync(script, 0o755);
    const r = await runTool({ cmd: script, args: ['there'], forkServer: true });
    assert.equal(r.stdout, 'hi there\n');
    assert.equal(readFileSync(log, 'utf8'), 'run there\n');
  });
});

describe('fork server: a served LLVM tool reads as a spawned one', { skip: skip ?? toolchainSkip() }, () => {
  it('an mlir-opt crash: the same signal, and the same stack frame for frame (the server answers dladdr from its index)', async () => {
    const run = (forkServer: boolean) =>
      runTool({
        cmd: findToolchain().path('mlir-opt'),
        args: ['--pass-pipeline=builtin.module(int-range-optimizations,sccp,remove-dead-values)', '-'],
        stdin: readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'oracles', 'range-crash-a.mlir'), 'utf8'),
        env: { LLVM_DISABLE_SYMBOLIZATION: '1' },
        forkServer,
      });
    const [spawned, served] = [await run(false), await run(true)];
    assert.ok(spawned.signal !== null, `the fixture no longer crashes mlir-opt: ${spawned.stderr.slice(0, 300)}`);
    assert.equal(served.signal, spawned.signal);
    // Addresses move with ASLR and the module column's width with the longest name; the server adds its own frame.
    const frames = (stderr: string) =>
      stderr
        .split('\n')
        .filter((l) => /^\d+\s/.test(l) && !l.includes('libtcfuzz_forkserver'))
        .map((l) => l.replace(/^\d+\s+/, '').replace(/0x[0-9a-f]+/g, '0x?').replace(/\s+/g, ' '));
    assert.ok(frames(spawned.stderr).filter((f) => /IntegerRangeAnalysis::/.test(f)).length > 0, spawned.stderr);
    assert.deepEqual(frames(served.stderr), frames(spawned.stderr));
    const top = (r: typeof spawned) => {
      const c = classify(r);
      return c.kind === 'crash' ? topFrames(c.crash, 3) : c.kind;
    };
    assert.deepEqual(top(served), top(spawned));
  });
});
