// The contracts are real: a target written in this file alone ("MLIR with every pipeline prefixed by canonicalize")
// is registered and `tcfuzz check` runs it like any built-in backend, with no line outside this file changed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompiledBatch, CompileRequest, ExecOptions, Executor, Target } from '../../contracts/target.ts';
import { main } from '../../cli/main.ts';
import { mlirTarget } from '../../targets/mlir/target.ts';
import { registerTarget, unregisterTarget } from '../../targets/registry.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';

/** Wraps an executor so every pipeline it compiles starts with canonicalize; it remembers what it compiled. */
class CanonicalizeFirst implements Executor {
  readonly name: string;
  readonly limits;
  readonly pipelines: string[] = [];
  constructor(private readonly inner: Executor) {
    this.name = `canon-${inner.name}`;
    this.limits = inner.limits;
  }
  unavailableReason() {
    return this.inner.unavailableReason();
  }
  compile(requests: readonly CompileRequest[], opts?: ExecOptions): Promise<CompiledBatch> {
    const prefixed = requests.map((r) => ({ ...r, pipeline: [mlirTarget.catalog.step('canonicalize'), ...r.pipeline] }));
    for (const r of prefixed) this.pipelines.push(mlirTarget.catalog.print(r.pipeline));
    return this.inner.compile(prefixed, opts);
  }
  run(batch: CompiledBatch, inputs: readonly (readonly Uint8Array[])[], opts?: ExecOptions) {
    return this.inner.run(batch, inputs, opts);
  }
  close() {
    return this.inner.close();
  }
}

const made: CanonicalizeFirst[] = [];
const canon: Target = {
  name: 'mlir-canonicalize-first',
  catalog: mlirTarget.catalog,
  executors: ['canon-native', 'canon-wasm'],
  createExecutor(name) {
    const e = new CanonicalizeFirst(mlirTarget.createExecutor(name.replace(/^canon-/, '')));
    made.push(e);
    return e;
  },
  validatePipeline: (p) => mlirTarget.validatePipeline(p),
};

function capture() {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

describe('a throwaway target registered from a test', { skip: toolchainSkip() }, () => {
  before(() => registerTarget(canon));
  after(() => unregisterTarget(canon));

  it('is checked by `tcfuzz check` like a built-in backend', async () => {
    const io = capture();
    const fixture = new URL('../../fixtures/cli/axpy.mlir', import.meta.url).pathname;
    const code = await main(['check', fixture, '--backends', 'interp,canon-native,canon-wasm,native', '-p', 'cse', '--json'], io);
    assert.equal(code, 0, io.stderr);
    const r = JSON.parse(io.stdout);
    assert.equal(r.agree, 1);
    assert.deepEqual(Object.keys(r.outcomes).sort(), ['canon-native', 'canon-wasm', 'interp', 'native']);
    assert.deepEqual(r.outcomes['canon-wasm'], { ok: 1 });
    // The wrapper really ran: canonicalize first, then the user's pipeline.
    assert.deepEqual(made.map((e) => e.pipelines), [['builtin.module(func.func(canonicalize),cse)'], ['builtin.module(func.func(canonicalize),cse)']]);
  });

  it('cannot take a name another target already has', () => {
    assert.throws(() => registerTarget({ ...canon, name: 'dup', executors: ['native'] }), /already taken/);
  });
});
