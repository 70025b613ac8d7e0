// The wasm runtime's allocator is as strict as glibc: a double free or a free of a pointer that is not a live
// allocation traps, freed memory is poisoned and never reused. A pipeline that makes a program free twice
// (buffer-loop-hoisting hoisting an alloc out of a loop whose dealloc stays inside) traps on both backends.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkCases } from '../../../check/check-cases.ts';
import { execute } from '../../../check/execute.ts';
import type { Finding } from '../../../contracts/oracle.ts';
import { entryArgs, entryBuffer } from '../../../ir/entry-abi.ts';
import { parseModule } from '../../../ir/parser/index.ts';
import { PrintedBytes } from '../../../numeric/runner-utils-print.ts';
import { DEFAULT_ORACLES } from '../../../oracles/index.ts';
import { createExecutor, reference } from '../../../targets/registry.ts';
import { parsePipeline } from '../../../targets/mlir/passes/pipeline.ts';
import type { HostState } from '../../../targets/mlir/wasm/imports.ts';
import { createImports, FREED_BYTE, WasmTrap } from '../../../targets/mlir/wasm/imports.ts';
import { WasmExecutor } from '../../../targets/mlir/wasm/executor.ts';
import { REPO_ROOT } from '../../helpers/repo-files.ts';
import { toolchainSkip } from '../../helpers/toolchain.ts';

type Fn = (...a: number[]) => number;

function host(): { s: HostState; call: (name: string, ...a: number[]) => number } {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 16 });
  const s: HostState = { memory, heapTop: 1024, live: new Map(), freed: new Set(), stdout: new PrintedBytes(), pendingInputs: [], outputs: [] };
  const imp = createImports(s);
  return { s, call: (name, ...a) => (imp[name] as unknown as Fn)(...a) };
}

describe('wasm allocator', () => {
  it('a second free of a block traps with glibc\'s words', () => {
    const { call } = host();
    const p = call('malloc', 32);
    call('free', p);
    assert.throws(() => call('free', p), (e: unknown) => e instanceof WasmTrap && /^double free or corruption: free\(0x[0-9a-f]+\)/.test(e.message));
  });
  it('freeing what malloc never returned traps', () => {
    const { call } = host();
    const p = call('malloc', 32);
    assert.throws(() => call('free', p + 4), (e: unknown) => e instanceof WasmTrap && /^free\(\): invalid pointer 0x[0-9a-f]+: not a live allocation$/.test(e.message));
    assert.throws(() => call('realloc', 12345, 8), (e: unknown) => e instanceof WasmTrap && /^realloc\(\): invalid pointer/.test(e.message));
  });
  it('free(NULL) does nothing; freed memory is poisoned and never handed out again', () => {
    const { s, call } = host();
    call('free', 0);
    const p = call('malloc', 8);
    new Uint8Array(s.memory.buffer).fill(7, p, p + 8);
    call('free', p);
    assert.deepEqual([...new Uint8Array(s.memory.buffer, p, 8)], new Array(8).fill(FREED_BYTE));
    const q = call('malloc', 8);
    assert.ok(q >= p + 8, 'a freed block is not reused');
  });
  it('realloc copies, frees the old block, and the old pointer can no longer be freed', () => {
    const { s, call } = host();
    const p = call('malloc', 4);
    new Uint8Array(s.memory.buffer).set([1, 2, 3, 4], p);
    const q = call('realloc', p, 8);
    assert.deepEqual([...new Uint8Array(s.memory.buffer, q, 4)], [1, 2, 3, 4]);
    assert.throws(() => call('free', p), /double free or corruption/);
    call('free', q);
  });
});

const DOUBLE_FREE = `func.func @main(%arg0: memref<4xi32>) {
  %a = memref.alloc() : memref<4xi32>
  memref.dealloc %a : memref<4xi32>
  memref.dealloc %a : memref<4xi32>
  return
}
`;

describe('a program that frees twice', { skip: toolchainSkip() }, () => {
  const wasm = new WasmExecutor();
  after(() => wasm.close());
  it('traps on wasm with the message', async () => {
    const [o] = await execute(wasm, [{ program: { text: DOUBLE_FREE, entry: { name: 'main', args: [{ shape: [4], element: 'i32' }] } }, inputs: [new Uint8Array(16)] }]);
    assert.equal(o!.kind, 'trap');
    assert.match(o!.kind === 'trap' ? o!.message : '', /^double free or corruption: free\(0x[0-9a-f]+\) of a block already freed$/);
  });
});

describe('buffer-loop-hoisting leaving a dealloc in the loop', { skip: toolchainSkip() }, () => {
  it('traps natively and on wasm; both findings name a double free and suspect the pipeline', async () => {
    const file = join(REPO_ROOT, 'fixtures', 'oracles', 'hoisted-alloc-double-free.mlir');
    const text = readFileSync(file, 'utf8');
    const module = parseModule(text, file);
    const pipeline = parsePipeline('builtin.module(test-loop-unrolling,func.func(lower-vector-multi-reduction,buffer-loop-hoisting))');
    const executors = [createExecutor('native'), createExecutor('wasm')];
    const findings: Finding[] = [];
    try {
      const kase = { name: file, program: { text, entry: { name: 'main', args: entryArgs(module).map(entryBuffer) }, ir: module }, pipeline, inputSeed: 0 };
      for await (const r of checkCases([kase], { reference, executors, oracles: DEFAULT_ORACLES })) {
        assert.equal(r.reference.kind, 'ok', 'the reference runs the original program UB-free');
        findings.push(...r.findings);
      }
    } finally {
      await Promise.all(executors.map((e) => e.close()));
    }
    assert.deepEqual(
      findings.map((f) => [f.kind, f.executor, f.tool, f.signature.replace(/^.*\|/, ''), f.agreeing, f.suspect]),
      [
        ['runtime-trap', 'native', 'mlir-runner', 'double free', ['wasm'], 'pipeline'],
        ['runtime-trap', 'wasm', 'v8', 'double free', ['native'], 'pipeline'],
      ],
    );
  });
});
