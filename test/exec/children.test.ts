// exec/children.ts on real processes: a node process with tcfuzz's signal handlers and a shutdown hook starts a
// tool (sleep) in its own process group through runTool; the test signals it and walks /proc for survivors.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureForkServer, ensureReaper } from '../../native/index.ts';
import type { Proc } from './proc-tree.ts';
import { descendants, killSurvivors, survives, until } from './proc-tree.ts';

const TARGET = join(import.meta.dirname, 'shutdown-target.ts');
const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-children-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Started = { child: ChildProcess; sleep: Proc; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> };

/** Starts the target in `mode` and waits until its sleep runs. */
async function start(mode: string, file = join(dir, 'unused'), how = 'spawned'): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', TARGET, mode, file, how], { stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const sleep = await until('the tool to start', 30_000, () => {
    assert.equal(child.exitCode, null, 'the target exited early');
    const procs = descendants(child.pid!);
    if (how === 'spawned') return procs.find((p) => /^sleep 1000/.test(p.cmdline));
    // A served run keeps its server's command line (`sleep`), and is that server's child.
    return procs.find((p) => p.cmdline === 'sleep' && procs.some((q) => q.pid === p.ppid && q.cmdline === 'sleep'));
  });
  return { child, sleep, exited };
}

async function gone(p: Proc): Promise<void> {
  await until(`pid ${p.pid} (${p.cmdline}) to end`, 5_000, () => !survives(p));
}

describe('children: no child outlives the process that started it', { timeout: 120_000 }, () => {
  it('SIGHUP: the tool group is killed, the hook runs, the exit code is 129', async () => {
    const file = join(dir, 'hook');
    const t = await start('hook', file);
    try {
      t.child.kill('SIGHUP');
      assert.deepEqual(await t.exited, { code: 129, signal: null });
      await gone(t.sleep);
      assert.equal(readFileSync(file, 'utf8'), 'SIGHUP');
    } finally {
      killSurvivors([t.sleep]);
      t.child.kill('SIGKILL');
    }
  });

  it('children are killed before the hooks run; a second signal does not wait for a stalled hook', async () => {
    const t = await start('stall');
    try {
      t.child.kill('SIGTERM');
      await gone(t.sleep);
      assert.equal(t.child.exitCode, null, 'exited without waiting for the hook');
      t.child.kill('SIGTERM');
      assert.deepEqual(await t.exited, { code: 143, signal: null });
    } finally {
      killSurvivors([t.sleep]);
      t.child.kill('SIGKILL');
    }
  });

  it('a plain process.exit kills the children too', async () => {
    const t = await start('exit');
    try {
      t.child.stdin!.end();
      assert.deepEqual(await t.exited, { code: 3, signal: null });
      await gone(t.sleep);
    } finally {
      killSurvivors([t.sleep]);
      t.child.kill('SIGKILL');
    }
  });

  it('SIGKILL, which runs no handler: the kernel kills the tool (the reaper)', { skip: ensureReaper().ok ? undefined : 'no C compiler for native/reaper.c' }, async () => {
    const t = await start('hook');
    try {
      t.child.kill('SIGKILL');
      assert.deepEqual(await t.exited, { code: null, signal: 'SIGKILL' });
      await gone(t.sleep);
    } finally {
      killSurvivors([t.sleep]);
    }
  });

  it('SIGKILL: a tool forked from a fork server dies too (the server dies with tcfuzz, the run with the server)', { skip: ensureReaper().ok && ensureForkServer().ok ? undefined : 'no C compiler for native/' }, async () => {
    const t = await start('hook', join(dir, 'unused'), 'served');
    try {
      const server = descendants(t.child.pid!).find((p) => p.pid === t.sleep.ppid);
      assert.ok(server, 'the server is gone');
      t.child.kill('SIGKILL');
      assert.deepEqual(await t.exited, { code: null, signal: 'SIGKILL' });
      await gone(t.sleep);
      await gone(server);
    } finally {
      killSurvivors([t.sleep]);
    }
  });
});

describe('children: resource limits', () => {
  it('a tool leaves no core file: its core size limit is 0, though tcfuzz may dump core', { skip: ensureReaper().ok ? undefined : 'no C compiler for native/reaper.c' }, () => {
    // tcfuzz itself runs with a core limit of 1000 blocks; the tool it starts (a shell printing its own) gets 0.
    const script = `import { runTool } from '${join(import.meta.dirname, '..', '..', 'exec', 'tool-driver.ts')}';
for (const memoryLimitMb of [1024, 0]) process.stdout.write((await runTool({ cmd: '/bin/sh', args: ['-c', 'ulimit -c'], memoryLimitMb })).stdout.trim() + ' ');`;
    const file = join(dir, 'core-limit.mts');
    writeFileSync(file, script);
    const r = spawnSync('/bin/sh', ['-c', 'ulimit -S -c 1000 && ulimit -c && exec "$0" --import tsx "$1"', process.execPath, file], { encoding: 'utf8' });
    assert.equal(r.stdout.replace(/\s+/g, ' ').trim(), '1000 0 0', r.stderr);
  });
});
