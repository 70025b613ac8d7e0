import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../cli/main.ts';
import type { Io } from '../../cli/io.ts';

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

describe('tcfuzz gen', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-gen-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes N programs and a manifest, identically for the same seed', async () => {
    for (const sub of ['a', 'b']) assert.equal(await main(['gen', '--count', '5', '--seed', '9', '--out', join(dir, sub)], capture()), 0);
    const files = readdirSync(join(dir, 'a')).sort();
    assert.deepEqual(files, ['manifest.json', 'prog-0000.mlir', 'prog-0001.mlir', 'prog-0002.mlir', 'prog-0003.mlir', 'prog-0004.mlir']);
    for (const f of files) assert.equal(readFileSync(join(dir, 'a', f), 'utf8'), readFileSync(join(dir, 'b', f), 'utf8'));
    const manifest = JSON.parse(readFileSync(join(dir, 'a', 'manifest.json'), 'utf8'));
    assert.equal(manifest.programs.length, 5);
    assert.match(manifest.programs[0].args[0], /^memref<.*>$/);
  });

  it('rejects bad flags with exit code 2 and a one-line reason', async () => {
    for (const argv of [['gen', '--count', 'x', '--out', dir], ['gen', '--count', '-1', '--out', dir], ['gen', '--seed', '1.5', '--out', dir], ['gen', '--count', '3']]) {
      const io = capture();
      assert.equal(await main(argv, io), 2, argv.join(' '));
      assert.match(io.stderr, /^tcfuzz: .+/);
    }
  });
});
