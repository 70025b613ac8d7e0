// The process children.test.ts signals: tcfuzz's signal handlers, one shutdown hook, and a tool (sleep) running in
// its own process group. argv: MODE FILE [served], where MODE is
//   hook   the hook waits a little, then writes the signal's name to FILE;
//   stall  the hook never returns;
//   exit   no hook; exits with code 3 when stdin closes;
// and `served` forks the tool from a fork server (exec/fork-server.ts) instead of spawning it.
import { writeFileSync } from 'node:fs';
import { installSignalHandlers, onShutdown } from '../../exec/children.ts';
import { runTool } from '../../exec/tool-driver.ts';

const [mode, file, how] = process.argv.slice(2);
installSignalHandlers();
if (mode === 'hook') onShutdown(async (signal) => {
  await new Promise((r) => setTimeout(r, 50));
  writeFileSync(file!, signal);
});
if (mode === 'stall') onShutdown(() => new Promise(() => {}));
if (mode === 'exit') {
  process.stdin.on('end', () => process.exit(3));
  process.stdin.resume();
}
void runTool({ cmd: 'sleep', args: ['1000'], timeoutMs: 600_000, forkServer: how === 'served' });
