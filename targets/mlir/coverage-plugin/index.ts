// mlir-opt's coverage features from plugin.cpp, a dialect plugin built against the toolchain's own headers, and
// the fallback to the action log where it cannot be built or loaded (no C++ compiler, no MLIR headers, a
// toolchain built without plugin support). Both give the same features (test/targets/mlir/coverage-plugin.test.ts).
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTempDir } from '../../../exec/temp-dir.ts';
import { runTool } from '../../../exec/tool-driver.ts';
import type { NativeBuild } from '../../../native/index.ts';
import { buildIfStale, BUILD_DIR } from '../../../native/index.ts';
import type { FeatureCounts } from '../action-log.ts';
import type { Toolchain } from '../toolchain.ts';

export const PLUGIN_SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'plugin.cpp');
/** The variable that tells the plugin where to append its records. */
export const COVERAGE_FILE_VAR = 'TCFUZZ_COVERAGE_FILE';
/** Per-module time budget (ms) the plugin's timer enforces. */
export const MODULE_TIMEOUT_VAR = 'TCFUZZ_MODULE_TIMEOUT_MS';

export type CoverageSource = { readonly kind: 'plugin'; readonly path: string } | { readonly kind: 'log'; readonly reason: string };

export const INSTALL_HINT = 'install a C++ compiler and the MLIR headers (sudo apt-get install -y g++ libmlir-22-dev, or npm run setup)';

/** The plugin for `tc`: one file per toolchain (and per install of it), built against the libMLIR that loads it. */
export function pluginPath(tc: Toolchain): string {
  const opt = tc.path('mlir-opt');
  const id = createHash('sha256').update(`${realpathSync(opt)}\0${statSync(opt).mtimeMs}`).digest('hex').slice(0, 12);
  return join(BUILD_DIR, `libtcfuzz_mlir_coverage-${id}.so`);
}

/**
 * Compiles the plugin when it is missing or older than its source (scripts/setup.sh does it ahead of time). It
 * links against nothing: every symbol it uses is mlir-opt's own, resolved when mlir-opt loads it, so only the
 * headers are needed.
 */
export function buildPlugin(tc: Toolchain): NativeBuild {
  const include = join(tc.binDir, '..', 'include');
  return buildIfStale(PLUGIN_SOURCE, pluginPath(tc), process.env.CXX ?? 'c++', [
    '-std=c++17',
    '-shared',
    '-fPIC',
    '-fno-rtti',
    '-fno-exceptions',
    '-fvisibility=hidden',
    '-fvisibility-inlines-hidden',
    `-I${include}`,
    '-D_GNU_SOURCE',
    '-D__STDC_CONSTANT_MACROS',
    '-D__STDC_FORMAT_MACROS',
    '-D__STDC_LIMIT_MACROS',
  ]);
}

const sources = new Map<string, Promise<CoverageSource>>();

/**
 * Where a coverage run gets its features: the plugin once it is built and a probe run shows mlir-opt loads it and
 * it writes a record (mlir-opt only warns about a plugin it cannot load, and would then report no features at
 * all), else the action log. Decided once per toolchain and process.
 */
export function coverageSource(tc: Toolchain): Promise<CoverageSource> {
  let s = sources.get(tc.binDir);
  if (!s) sources.set(tc.binDir, (s = probe(tc)));
  return s;
}

async function probe(tc: Toolchain): Promise<CoverageSource> {
  const built = buildPlugin(tc);
  if (!built.ok) return { kind: 'log', reason: `${built.reason}; ${INSTALL_HINT}` };
  return withTempDir('tcfuzz-cov-', async (dir) => {
    const file = join(dir, 'probe');
    const r = await runTool({
      cmd: tc.path('mlir-opt'),
      args: [`--load-dialect-plugin=${built.path}`, '--pass-pipeline=builtin.module(canonicalize)', '-'],
      stdin: 'module {}\n',
      env: { [COVERAGE_FILE_VAR]: file },
      timeoutMs: 30_000,
      forkServer: true,
    });
    const records = r.exitCode === 0 ? readRecords(file).modules : [];
    if (records.length === 1 && records[0]!.has('pass:Canonicalizer')) return { kind: 'plugin', path: built.path };
    const said = r.stderr.trim().split('\n')[0] ?? '';
    return { kind: 'log', reason: `mlir-opt did not load ${built.path}${said ? `: ${said}` : ''}` };
  });
}

/**
 * A coverage file's records, one per module in the order mlir-opt compiled them (format: plugin.cpp), and which
 * module, if any, the plugin's timer stopped, and in which pass.
 */
export function readRecords(file: string): { modules: FeatureCounts[]; timedOut?: number; stoppedIn?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch {
    return { modules: [] };
  }
  const modules: FeatureCounts[] = [];
  let timedOut: number | undefined;
  let stoppedIn: string | undefined;
  let current: FeatureCounts | undefined;
  for (const line of text.split('\n')) {
    const stopped = line === 'T' || line.startsWith('T\t');
    if (stopped) {
      timedOut = modules.length;
      if (line.length > 2) stoppedIn = line.slice(2);
    }
    if (line === 'M' || stopped) modules.push((current = new Map()));
    else if (current && line) {
      const tab = line.lastIndexOf('\t');
      current.set(line.slice(0, tab), Number(line.slice(tab + 1)));
    }
  }
  return { modules, ...(timedOut !== undefined && { timedOut }), ...(stoppedIn !== undefined && { stoppedIn }) };
}
