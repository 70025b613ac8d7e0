// An interrupted `check` keeps what it finished: SIGINT or SIGTERM mid-run still prints the results so far (one JSON
// object with --json), exits with the signal's code, and leaves no temporary directory behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../cli/main.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';

const BIN = new URL('../../bin/tcfuzz.js', import.meta.url).pathname;

describe('an interrupted check', { skip: toolchainSkip() }, () => {
  const root = mkdtempSync(join(tmpdir(), 'tcfuzz-interrupt-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const programs = join(root, 'programs');

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: prints the finished results and removes its temp dirs`, async () => {
      if (!readdirSync(root).includes('programs')) {
        assert.equal(await main(['gen', '-n', '300', '--seed', '3', '--out', programs], { out: () => {}, err: () => {} }), 0);
      }
      const tmp = mkdtempSync(join(root, `tmp-${signal}-`));
      const child = spawn(process.execPath, [BIN, 'check', programs, '--backends', 'interp,native,wasm', '--json'], { env: { ...process.env, TMPDIR: tmp } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      const progressed = new Promise<void>((resolve) =>
        child.stderr.on('data', (d) => {
          stderr += d;
          if (/^[1-9]\d*\/300 cases/m.test(stderr)) resolve();
        }),
      );
      const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      await Promise.race([progressed, exited]);
      child.kill(signal);
      assert.equal(await exited, code, stderr);
      const r = JSON.parse(stdout);
      assert.equal(r.interrupted, signal);
      assert.ok(r.cases > 0 && r.cases < 300, `cases ${r.cases}`);
      assert.equal(r.agree + r.disagreements.length + r.backend_failures.length > 0, true);
      // (tsx keeps its own cache in TMPDIR; only ours must be gone)
      assert.deepEqual(readdirSync(tmp).filter((f) => f.startsWith('tcfuzz-')), [], 'temp dirs left behind');
    });
  }
});
