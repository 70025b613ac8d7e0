// MLIR as a compiler under test: its pass catalog, its executors (native JIT, wasm32 in V8 at two tiers), and the
// check that a user's pipeline is one mlir-opt accepts.
import type { PassCatalog, Pipeline } from '../../contracts/pipeline.ts';
import type { Executor, Target } from '../../contracts/target.ts';
import { runTool } from '../../exec/tool-driver.ts';
import { NativeExecutor } from './native/executor.ts';
import { PASSES, passSpec } from './passes/catalog.ts';
import { parsePipeline, passPipelineArg, printPipeline, step } from './passes/pipeline.ts';
import { findToolchain, ToolchainMissing } from './toolchain.ts';
import { WasmExecutor } from './wasm/executor.ts';

export const mlirCatalog: PassCatalog = { passes: PASSES, lookup: passSpec, step, print: printPipeline, parse: parsePipeline };

const EXECUTORS: Readonly<Record<string, () => Executor>> = {
  native: () => new NativeExecutor(),
  wasm: () => new WasmExecutor(),
  'wasm-liftoff': () => new WasmExecutor({ tier: 'liftoff' }),
  'wasm-turbofan': () => new WasmExecutor({ tier: 'turbofan' }),
};

export const mlirTarget: Target = {
  name: 'mlir',
  catalog: mlirCatalog,
  executors: Object.keys(EXECUTORS),
  createExecutor(name: string): Executor {
    const make = EXECUTORS[name];
    if (!make) throw new Error(`the mlir target has no executor '${name}'`);
    return make();
  },
  async validatePipeline(pipeline: Pipeline): Promise<string | undefined> {
    if (pipeline.length === 0) return undefined;
    let toolchain;
    try {
      toolchain = findToolchain(process.env, ['mlir-opt']);
    } catch (e) {
      if (e instanceof ToolchainMissing) return e.message;
      throw e;
    }
    // mlir-opt builds the whole pipeline (names, options, nesting) before reading any IR.
    const r = await runTool({ cmd: toolchain.path('mlir-opt'), args: [passPipelineArg(pipeline), '-'], stdin: 'module {}\n', timeoutMs: 30_000, forkServer: true });
    if (r.exitCode === 0) return undefined;
    // Option errors come as a plain line before an empty `error:`; keep every line that says something.
    const said = r.stderr.split('\n').map((l) => l.replace(/^<unknown>:0: error: ?/, '').trim()).filter(Boolean);
    return said.join('; ') || `mlir-opt rejected the pipeline '${printPipeline(pipeline)}' (exit ${r.exitCode ?? r.signal})`;
  },
};
