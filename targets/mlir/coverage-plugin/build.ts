// `node --import tsx targets/mlir/coverage-plugin/build.ts`: builds the coverage plugin for the default toolchain
// ahead of time (scripts/setup.sh), so that a campaign's workers do not each compile it on first use. Says why
// when it cannot; that is not an error, since coverage then comes from the action log.
import { findToolchain, ToolchainMissing } from '../toolchain.ts';
import { isStale } from '../../../native/index.ts';
import { buildPlugin, INSTALL_HINT, PLUGIN_SOURCE, pluginPath } from './index.ts';

try {
  const tc = findToolchain(process.env, ['mlir-opt']);
  if (isStale(PLUGIN_SOURCE, pluginPath(tc))) console.error(`setup: building ${pluginPath(tc)}`);
  const built = buildPlugin(tc);
  if (!built.ok) console.error(`setup: no coverage plugin (${built.reason}); campaigns will read mlir-opt's action log instead, which is slower; ${INSTALL_HINT}`);
} catch (e) {
  if (!(e instanceof ToolchainMissing)) throw e;
  console.error(`setup: no coverage plugin without mlir-opt: ${e.message.split('\n')[0]}`);
}
