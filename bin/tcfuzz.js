#!/usr/bin/env node
// Entry point for `npx tcfuzz`: runs the TypeScript CLI through tsx, without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
