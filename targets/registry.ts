// Backend names accepted on the command line. `interp` is the reference interpreter, always run by `check`.
import type { Backend } from './mlir/backend.ts';
import { NativeBackend } from './mlir/native/executor.ts';
import { WasmBackend } from './mlir/wasm/executor.ts';

export const BACKEND_NAMES = ['interp', 'native', 'wasm', 'wasm-liftoff', 'wasm-turbofan'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export function parseBackendList(text: string): BackendName[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new Error('--backends needs at least one name');
  for (const n of names) if (!(BACKEND_NAMES as readonly string[]).includes(n)) throw new Error(`unknown backend '${n}' (known: ${BACKEND_NAMES.join(', ')})`);
  return [...new Set(names)] as BackendName[];
}

export function compiledBackend(name: Exclude<BackendName, 'interp'>): Backend {
  switch (name) {
    case 'native':
      return new NativeBackend();
    case 'wasm':
      return new WasmBackend();
    case 'wasm-liftoff':
      return new WasmBackend({ tier: 'liftoff' });
    case 'wasm-turbofan':
      return new WasmBackend({ tier: 'turbofan' });
  }
}
