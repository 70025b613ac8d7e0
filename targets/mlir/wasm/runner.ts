// Child-process side of the WASM backend: receives a linked module and the programs in it, runs each program in a
// fresh instance with fresh memory, and reports each result as soon as it has it. The parent owns the clock: an
// infinite loop here is ended by the parent killing this process, which is why this lives in a child process.
// If the parent dies first, the kernel kills this process (it is started through native/reaper.c, whose death
// signal works while a wasm loop blocks JS); the 'disconnect' exit below covers an idle runner without the reaper.
import type { HostState } from './imports.ts';
import { createImports, WasmTrap } from './imports.ts';
import { PrintedBytes } from '../../../numeric/runner-utils-print.ts';

export type RunnerJob = {
  readonly type: 'job';
  readonly id: number;
  readonly wasm: Uint8Array;
  readonly programs: readonly { readonly entry: string; readonly inputs: readonly Uint8Array[] }[];
  /** Index of the first program to run (the parent resumes after a program it had to kill). */
  readonly start: number;
};

export type RunnerProgramResult =
  | { readonly kind: 'ok'; readonly buffers: readonly Uint8Array[]; readonly stdout: Uint8Array }
  | { readonly kind: 'trap'; readonly message: string; readonly stdout: Uint8Array };

export type RunnerMessage =
  | { readonly type: 'result'; readonly id: number; readonly j: number; readonly result: RunnerProgramResult }
  | { readonly type: 'done'; readonly id: number }
  | { readonly type: 'error'; readonly id: number; readonly message: string }
  | { readonly type: 'ready' };

/** The memory import's minimum page count, read from the binary's import section. */
export function importedMemoryPages(wasm: Uint8Array): number {
  let p = 8;
  const u = (): number => {
    let r = 0;
    let shift = 0;
    for (;;) {
      const b = wasm[p++]!;
      r += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return r;
    }
  };
  while (p < wasm.length) {
    const id = wasm[p++]!;
    const size = u();
    const end = p + size;
    if (id === 2) {
      const n = u();
      for (let k = 0; k < n; k++) {
        // `p += u()` would add to p's value from before u() advanced it.
        const moduleLen = u();
        p += moduleLen;
        const fieldLen = u();
        p += fieldLen;
        const kind = wasm[p++]!;
        if (kind === 0x02) {
          u(); // limits flags
          return u();
        }
        if (kind === 0x00) u();
        else if (kind === 0x01) {
          p++;
          const flags = u();
          u();
          if (flags & 1) u();
        } else if (kind === 0x03) p += 2;
      }
    }
    p = end;
  }
  return 0;
}

const MAX_PAGES = 16384; // 1 GiB per program

export function runProgram(module: WebAssembly.Module, minPages: number, entry: string, inputs: readonly Uint8Array[]): RunnerProgramResult {
  const memory = new WebAssembly.Memory({ initial: Math.max(minPages, 1), maximum: Math.max(MAX_PAGES, minPages) });
  const state: HostState = { memory, heapTop: 0, live: new Map(), freed: new Set(), stdout: new PrintedBytes(), pendingInputs: [...inputs], outputs: [] };
  const provided = createImports(state);
  const env: Record<string, WebAssembly.ImportValue> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind === 'memory') env[imp.name] = memory;
    else if (imp.kind === 'function') {
      env[imp.name] =
        (provided[imp.name] as WebAssembly.ImportValue | undefined) ??
        (() => {
          throw new WasmTrap(`call to unresolved import ${imp.name}`);
        });
    }
  }
  try {
    const instance = new WebAssembly.Instance(module, { env });
    const ex = instance.exports as Record<string, WebAssembly.ExportValue>;
    const heapBase = ex.__heap_base;
    state.heapTop = heapBase instanceof WebAssembly.Global ? Number(heapBase.value) : memory.buffer.byteLength;
    const ctors = ex.__wasm_call_ctors;
    if (typeof ctors === 'function') (ctors as () => void)();
    const fn = ex[entry];
    if (typeof fn !== 'function') return { kind: 'trap', message: `no export ${entry}`, stdout: new Uint8Array(0) };
    (fn as () => void)();
    return { kind: 'ok', buffers: state.outputs, stdout: state.stdout.toBytes() };
  } catch (e) {
    const message = e instanceof WebAssembly.RuntimeError || e instanceof WasmTrap ? e.message : `${(e as Error).name}: ${(e as Error).message}`;
    return { kind: 'trap', message, stdout: state.stdout.toBytes() };
  }
}

function serve(): void {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (msg: RunnerJob) => {
    if (msg.type !== 'job') return;
    // Receiving a job is the only thing this process does; nothing here may throw past this handler.
    let module: WebAssembly.Module;
    try {
      module = new WebAssembly.Module(msg.wasm);
    } catch (e) {
      process.send!({ type: 'error', id: msg.id, message: (e as Error).message } satisfies RunnerMessage);
      return;
    }
    const pages = importedMemoryPages(msg.wasm);
    for (let j = msg.start; j < msg.programs.length; j++) {
      const p = msg.programs[j]!;
      const result = runProgram(module, pages, p.entry, p.inputs);
      process.send!({ type: 'result', id: msg.id, j, result } satisfies RunnerMessage);
    }
    process.send!({ type: 'done', id: msg.id } satisfies RunnerMessage);
  });
  process.send!({ type: 'ready' } satisfies RunnerMessage);
}

if (process.send && process.env.TCFUZZ_WASM_RUNNER === '1') serve();
