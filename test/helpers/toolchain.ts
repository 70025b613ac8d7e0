// Finds mlir-opt for tests that need it, so they can skip with a reason where the toolchain is absent.
import { findToolchain, ToolchainMissing } from '../../targets/mlir/toolchain.ts';

export function mlirOptPath(): string | undefined {
  try {
    return findToolchain(process.env, ['mlir-opt']).path('mlir-opt');
  } catch (e) {
    if (e instanceof ToolchainMissing) return undefined;
    throw e;
  }
}
