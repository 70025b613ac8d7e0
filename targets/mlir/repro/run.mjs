// Part of a tcfuzz reproducer, copied beside repro.sh with host/ (tcfuzz's wasm host as plain JavaScript); node only.
// usage: node run.mjs lowered.wasm ENTRY
// Runs export ENTRY of lowered.wasm in V8 as tcfuzz's wasm backend runs a program: fresh memory from the module's
// own size, the host's imports (bump malloc/free that poisons freed blocks, libm, compiler-rt builtins, the
// runner-utils printers), and what the program printed on stdout.
// Exit 0: it ran to the end; 3: it trapped (a WebAssembly trap, the host's out of memory or bad free, or V8
// rejecting the module, all traps to tcfuzz); 2: it cannot run.
import { readFileSync, writeSync } from 'node:fs';
import { importedMemoryPages, runProgram } from './host/targets/mlir/wasm/runner.js';

const [wasmPath, entry] = process.argv.slice(2);
const stop = (status, message) => {
  process.stderr.write(`run.mjs: ${message}\n`);
  process.exit(status);
};
if (!entry) stop(2, 'usage: node run.mjs lowered.wasm ENTRY');
const bytes = readFileSync(wasmPath);
let module;
try {
  module = new WebAssembly.Module(bytes);
} catch (e) {
  stop(3, `trap: V8 rejected the module: ${e.message}`);
}
if (!WebAssembly.Module.exports(module).some((e) => e.name === entry)) stop(2, `${wasmPath} exports no ${entry}`);
const r = runProgram(module, importedMemoryPages(bytes), entry, []);
writeSync(1, r.stdout);
if (r.kind === 'trap') stop(3, `trap: ${r.message}`);
