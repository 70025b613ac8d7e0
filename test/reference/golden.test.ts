// Golden tests against the real thing: each fixture's stdout from the interpreter must equal, character for
// character, what mlir-runner prints with the runner-utils libraries (memref base addresses normalised).
// fixtures/interpreter/print exercises the print formats, fixtures/interpreter/semantics the tricky op semantics.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runMain } from '../../reference/index.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';
import { latin1, normaliseStdoutText, STDOUT_NORMALISERS } from '../../oracles/normalise.ts';
import { loadFixtures } from './fixtures.ts';
import type { Fixture } from './fixtures.ts';
import { runNative } from './native-harness.ts';
import type { NativeResult } from './native-harness.ts';

const skip = toolchainSkip();

/** Runs every fixture natively, a few at a time; results keyed by name. */
async function nativeAll(fixtures: readonly Fixture[]): Promise<Map<string, NativeResult>> {
  const out = new Map<string, NativeResult>();
  const queue = [...fixtures];
  const worker = async (): Promise<void> => {
    for (let f = queue.shift(); f; f = queue.shift()) out.set(f.name, await runNative(f.text));
  };
  await Promise.all([worker(), worker(), worker()]);
  return out;
}

/** Only the memref addresses: NaN signs must match mlir-runner here too. */
const normaliseAddresses = (s: string): string => normaliseStdoutText(s, STDOUT_NORMALISERS.filter((n) => n.name === 'memref-address'));

function firstDifference(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  for (let i = 0; i < Math.max(al.length, bl.length); i++)
    if (al[i] !== bl[i]) return `line ${i + 1}:\n  mlir-runner: ${JSON.stringify(al[i])}\n  interpreter: ${JSON.stringify(bl[i])}`;
  return 'identical';
}

for (const dir of ['print', 'semantics']) {
  describe(`${dir} fixtures match mlir-runner`, { skip }, () => {
    const fixtures = skip ? [] : loadFixtures(dir);
    const native = skip ? Promise.resolve(new Map<string, NativeResult>()) : nativeAll(fixtures);
    for (const f of fixtures) {
      test(f.name, async () => {
        const r = runMain(f.module, []);
        assert.equal(r.kind, 'ok', JSON.stringify(r));
        if (r.kind !== 'ok') return;
        assert.ok(r.stdout.length > 0, 'the fixture prints something');
        const n = (await native).get(f.name)!;
        assert.ok(n.ok, n.ok ? '' : n.error);
        if (!n.ok) return;
        const want = normaliseAddresses(latin1(n.stdout));
        const got = normaliseAddresses(latin1(r.stdout));
        assert.ok(want === got, firstDifference(want, got));
      });
    }
  });
}

// Upstream bugs the interpreter exposed: the interpreter prints the op's defined result, and the bug still
// reproduces natively after the named pass. When upstream fixes one, this fails: move the fixture out.
describe('known MLIR bugs still reproduce', { skip }, () => {
  for (const f of skip ? [] : loadFixtures('mlir-bugs')) {
    test(f.name, async () => {
      const field = (name: string): string => {
        const m = new RegExp(`^// ${name}: (.*)$`, 'm').exec(f.text);
        assert.ok(m, `${f.name} lacks a '// ${name}:' line`);
        return m[1]!;
      };
      const r = runMain(f.module, []);
      assert.equal(r.kind, 'ok', JSON.stringify(r));
      if (r.kind === 'ok') assert.equal(Buffer.from(r.stdout).toString('utf8').trim(), field('INTERPRETER'));
      const n = await runNative(f.text, 'main', 60_000, field('PIPELINE'));
      if (/^\/\/ MLIR-ERROR:/m.test(f.text)) {
        assert.ok(!n.ok, 'the toolchain no longer fails: the bug is fixed');
        if (!n.ok) assert.match(n.error, new RegExp(field('MLIR-ERROR')));
        return;
      }
      assert.ok(n.ok, n.ok ? '' : n.error);
      if (n.ok) assert.equal(Buffer.from(n.stdout).toString('utf8').trim(), field('MLIR'));
    });
  }
});
