#!/usr/bin/env node
// Entry point for `npx tcfuzz`: runs the TypeScript CLI through tsx, without a build step.
import { register } from 'tsx/esm/api';

register();
// Ctrl-C, SIGTERM and SIGHUP kill every tool and worker tcfuzz started, then exit 130, 143 or 129.
const { installSignalHandlers, shutdownSignal } = await import('../exec/children.ts');
installSignalHandlers();
// Work cut short by the kill fails in every way a killed tool can; the signal handler reports and exits.
process.on('unhandledRejection', (e) => {
  if (!shutdownSignal()) throw e;
});
const { main } = await import('../cli/main.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (!shutdownSignal()) throw e;
}
