// The pass catalog against the installed mlir-opt, the pipeline printer/parser, and the lowering suffixes.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { OptionDomain, PassSpec } from '../../../targets/mlir/passes/catalog.ts';
import { PASSES, passSpec, SEMANTICS } from '../../../targets/mlir/passes/catalog.ts';
import { mlirOptPasses } from '../../../targets/mlir/passes/help.ts';
import { NATIVE_SUFFIX, WASM_INDEX_DLTI, WASM_SUFFIX } from '../../../targets/mlir/passes/lowering.ts';
import type { OptionValue, Pipeline } from '../../../targets/mlir/passes/pipeline.ts';
import { parsePipeline, PipelineSyntaxError, printPipeline, step } from '../../../targets/mlir/passes/pipeline.ts';
import { addModuleAttribute, unconvertedOps } from '../../../targets/mlir/lower.ts';
import { runMlirOpt } from '../../../targets/mlir/mlir-opt.ts';
import { findToolchain } from '../../../targets/mlir/toolchain.ts';
import { FIXTURES, toolchainSkip } from './helpers.ts';

/** Option settings: 0 = low end of every domain, 1 = high end, 2 = middle; so three runs touch every extreme. */
function pick(d: OptionDomain, which: number): OptionValue {
  switch (d.kind) {
    case 'bool':
      return which !== 1;
    case 'int':
      return [d.min, d.max, Math.floor((d.min + d.max) / 2)][which]!;
    case 'int-list':
      return [[d.min], Array<number>(d.maxLen).fill(d.max), [d.min, d.max].slice(0, d.maxLen)][which]!;
    case 'number':
    case 'enum':
    case 'string':
      return d.values[which === 1 ? d.values.length - 1 : which === 2 ? d.values.length >> 1 : 0] ?? '';
  }
}

function withOptions(s: PassSpec, which: number): Record<string, OptionValue> {
  return Object.fromEntries(Object.entries(s.options).map(([k, d]) => [k, pick(d, which)]));
}

function mlirOpt(args: string[], input: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(findToolchain().path('mlir-opt'), args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr.on('data', (d) => (stderr += d));
    c.on('close', (code) => resolve({ code, stderr }));
    c.stdin.end(input);
  });
}

async function pool<T>(items: readonly T[], n: number, f: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await f(items[next++]!);
    }),
  );
}

const REPRESENTATIVE = readFileSync(join(FIXTURES, 'representative.mlir'), 'utf8');

/** Passes that fail on the representative program because of a real bug, with the failure they must show. */
const KNOWN_BROKEN: Record<string, RegExp> = {
  // fixtures/backends/bugs/scf-extract-fixed-outer-loops-iter-args.mlir
  'test-extract-fixed-outer-loops': /does not dominate this use/,
};

describe('pass catalog', { skip: toolchainSkip() }, () => {
  it('names only passes, options and enum values the installed mlir-opt has', () => {
    const help = mlirOptPasses(findToolchain().path('mlir-opt'));
    assert.ok(help.size > 300, `parsed only ${help.size} passes from --help`);
    for (const s of PASSES) {
      const h = help.get(s.name);
      assert.ok(h, `${s.name} is not an mlir-opt pass`);
      for (const [opt, d] of Object.entries(s.options)) {
        const ho = h!.options.get(opt);
        assert.ok(ho, `${s.name} has no option ${opt}`);
        if (d.kind === 'enum') for (const v of d.values) assert.ok(ho!.enumValues.includes(v), `${s.name}{${opt}=${v}} is not a listed value`);
        if (d.kind === 'bool') assert.equal(ho!.type, undefined, `${s.name}{${opt}} is not a flag`);
      }
      for (const k of Object.keys(s.required ?? {})) assert.ok(k in s.options, `${s.name} requires ${k} but gives it no domain`);
    }
    assert.equal(new Set(PASSES.map((s) => s.name)).size, PASSES.length, 'duplicate catalog entries');
  });

  it('every pass nests where its anchor says and accepts every option value in its domain', async () => {
    // mlir-opt checks nesting ("Can't add pass ... restricted to 'func.func'") and parses options while building the
    // pipeline, so one run on an empty module per option setting checks the whole catalog. Op-agnostic passes are
    // put at both levels.
    const standalone = PASSES.filter((s) => !s.name.startsWith('transform-'));
    for (const which of [0, 1, 2]) {
      const steps = standalone.flatMap((s) => {
        const opts = withOptions(s, which);
        return s.anchor === 'any' ? [step(s.name, opts, ['func.func']), step(s.name, opts, [])] : [step(s.name, opts)];
      });
      const r = await mlirOpt([`--pass-pipeline=${printPipeline(steps)}`, '-'], 'module {}\n');
      assert.equal(r.code, 0, r.stderr.slice(0, 2000));
    }
  });

  it('every non-lowering pass with options runs on the representative program with non-default values', async () => {
    // Some domain limits only show when the pass runs (generate-runtime-verification rejects verbose-level 2 then).
    const failures: string[] = [];
    const passes = PASSES.filter((s) => s.stage !== 'lowering' && Object.keys(s.options).length > 0);
    await pool(passes, 4, async (s) => {
      const which = passes.indexOf(s) % 3;
      const pipeline = printPipeline([step(s.name, withOptions(s, which))]);
      const r = await mlirOpt([`--pass-pipeline=${pipeline}`, '-'], REPRESENTATIVE);
      const known = KNOWN_BROKEN[s.name];
      if (known) {
        if (r.code === 0 || !known.test(r.stderr)) failures.push(`${s.name}: the known bug no longer shows; update KNOWN_BROKEN`);
      } else if (r.code !== 0) failures.push(`${pipeline}: ${r.stderr.split('\n').find((l) => /error/.test(l)) ?? r.stderr.slice(0, 300)}`);
    });
    assert.deepEqual(failures, []);
  });

  it('no pass prints on stdout, where the outputs of a batch are read', async () => {
    const printing: string[] = [];
    await pool(PASSES, 2, async (s) => {
      const steps = [step(s.name, withOptions(s, 0), s.anchor === 'builtin.module' ? [] : ['func.func'])];
      const out = await new Promise<string>((resolve) => {
        const c = spawn(findToolchain().path('mlir-opt'), [`--pass-pipeline=${printPipeline(steps)}`, '-o', '/dev/null', '-'], { stdio: ['pipe', 'pipe', 'ignore'] });
        let stdout = '';
        c.stdout.on('data', (d) => (stdout += d));
        c.on('close', () => resolve(stdout));
        c.stdin.end(REPRESENTATIVE);
      });
      if (out.trim() !== '') printing.push(`${s.name}: ${out.slice(0, 60)}`);
    });
    assert.deepEqual(printing, []);
  });

  it('each lowering suffix fully lowers the representative program', async () => {
    const [native] = await runMlirOpt([REPRESENTATIVE], NATIVE_SUFFIX);
    const [wasm] = await runMlirOpt([addModuleAttribute(REPRESENTATIVE, WASM_INDEX_DLTI)], WASM_SUFFIX);
    for (const [name, r] of [['native', native!], ['wasm', wasm!]] as const) {
      assert.equal(r.kind, 'ok', `${name}: ${JSON.stringify(r).slice(0, 1000)}`);
      if (r.kind === 'ok') assert.deepEqual(unconvertedOps(r.output), [], `${name} suffix left ops behind`);
    }
    // index is 32-bit on wasm only: @main's memref descriptors carry i32 offsets/sizes there.
    assert.match(native!.kind === 'ok' ? native!.output : '', /llvm\.func @main\(%arg0: !llvm\.ptr, %arg1: !llvm\.ptr, %arg2: i64/);
    assert.match(wasm!.kind === 'ok' ? wasm!.output : '', /llvm\.func @main\(%arg0: !llvm\.ptr, %arg1: !llvm\.ptr, %arg2: i32/);
  });
});

describe('pipelines', () => {
  const p: Pipeline = [
    step('cse'),
    step('canonicalize', { 'max-iterations': 3, 'region-simplify': 'aggressive' }),
    step('inline'),
    step('affine-loop-tile', { 'tile-sizes': [2, 4] }),
    step('symbol-privatize'),
    step('arith-emulate-unsupported-floats', { 'source-types': 'bf16,f16' }),
  ];

  it('prints the exact --pass-pipeline string, nesting consecutive function passes together', () => {
    assert.equal(
      printPipeline(p),
      'builtin.module(func.func(cse,canonicalize{max-iterations=3 region-simplify=aggressive}),inline,' +
        'func.func(affine-loop-tile{tile-sizes=2,4}),symbol-privatize{exclude=main},' +
        'func.func(arith-emulate-unsupported-floats{source-types=bf16,f16 target-type=f32}))',
    );
  });

  it('parses what it prints', () => {
    assert.deepEqual(parsePipeline(printPipeline(p)), p);
    assert.deepEqual(parsePipeline(printPipeline(NATIVE_SUFFIX)), NATIVE_SUFFIX);
    assert.deepEqual(parsePipeline(printPipeline(WASM_SUFFIX)), WASM_SUFFIX);
  });

  it('accepts the forms people type', () => {
    assert.deepEqual(parsePipeline('cse, func.func( canonicalize{ top-down max-iterations=2 } )'), [
      { pass: 'cse', nest: [] },
      { pass: 'canonicalize', options: { 'top-down': true, 'max-iterations': 2 }, nest: ['func.func'] },
    ]);
    assert.deepEqual(parsePipeline('inline{default-pipeline=""}'), [{ pass: 'inline', options: { 'default-pipeline': '' }, nest: [] }]);
    assert.deepEqual(parsePipeline('builtin.module()'), []);
    assert.equal(printPipeline(parsePipeline('inline{default-pipeline=""}')), 'builtin.module(inline{default-pipeline=""})');
  });

  it('rejects malformed pipelines with a position', () => {
    for (const bad of ['builtin.module(cse', 'func.func(func.func(cse))', 'cse{max=1', 'cse(canonicalize)', 'cse) x']) {
      assert.throws(() => parsePipeline(bad), PipelineSyntaxError, bad);
    }
  });

  it('nests under any op, as mlir-opt does', () => {
    const gpu = 'builtin.module(gpu.module(func.func(cse),canonicalize),func.func(cse))';
    const p = parsePipeline(gpu);
    assert.deepEqual(p, [
      { pass: 'cse', nest: ['gpu.module', 'func.func'] },
      { pass: 'canonicalize', nest: ['gpu.module'] },
      { pass: 'cse', nest: ['func.func'] },
    ]);
    assert.equal(printPipeline(p), gpu);
  });

  it('fills in required options and the catalog nesting', () => {
    assert.deepEqual(step('symbol-privatize'), { pass: 'symbol-privatize', options: { exclude: 'main' }, nest: [] });
    assert.deepEqual(step('affine-loop-unroll').nest, ['func.func']);
    assert.equal(passSpec('no-such-pass'), undefined);
  });
});

describe('semantics marks', () => {
  it('every test-* pass has an explicit decision, and every decision names a catalog pass', () => {
    const undecided = PASSES.filter((s) => (s.stage === 'test' || s.name.startsWith('test-')) && !s.semantics).map((s) => s.name);
    assert.deepEqual(undecided, []);
    for (const name of Object.keys(SEMANTICS)) assert.ok(passSpec(name), `${name} is not in the catalog`);
  });

  it('every withheld promise gives a reason that cites a source or a bug report', () => {
    const cites = /mlir\/|llvm-project|#\d+/;
    for (const s of PASSES) {
      const m = s.semantics;
      if (!m || m.kind === 'preserves') continue;
      const reasons = m.kind === 'no-promise' ? [m.reason] : m.options.map((b) => b.reason);
      for (const r of reasons) assert.ok(r.length > 60 && cites.test(r), `${s.name}: the reason '${r}' cites nothing`);
    }
  });

  it("each breaking option is the pass's own and its default is mlir-opt's", { skip: toolchainSkip() }, () => {
    const mlirOptPath = findToolchain().path('mlir-opt');
    const help = mlirOptPasses(mlirOptPath);
    const conditional = PASSES.filter((s) => s.semantics?.kind === 'unless');
    assert.ok(conditional.length > 0);
    // --dump-pass-pipeline prints every option of every pass with its value: steps without options show defaults.
    const bare = conditional.map((s) => ({ pass: s.name, nest: step(s.name).nest }));
    const printed = spawnSync(mlirOptPath, [`--pass-pipeline=${printPipeline(bare)}`, '--dump-pass-pipeline', '-o', '/dev/null', '-'], {
      input: 'module {}\n',
      encoding: 'utf8',
    }).stderr;
    for (const s of conditional) {
      if (s.semantics?.kind !== 'unless') continue;
      for (const b of s.semantics.options) {
        assert.ok(help.get(s.name)?.options.has(b.option), `${s.name} has no option ${b.option}`);
        const m = new RegExp(`${s.name}\\{[^}]*\\b${b.option}=([^ }]*)`).exec(printed);
        assert.ok(m, `--dump-pass-pipeline shows no ${b.option} for ${s.name}`);
        assert.equal(m![1], String(b.default), `${s.name}{${b.option}} defaults to ${m![1]}, not ${String(b.default)}`);
      }
    }
  });
});
