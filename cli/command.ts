// The shape of one CLI command; each command lives in its own file under cli/.
import type { Argv } from 'yargs';
import type { Io } from './io.ts';

export interface CliCommand<A = any> {
  /** yargs command string, e.g. 'gen' or 'fmt <files..>'. */
  readonly command: string;
  readonly describe: string;
  options(y: Argv): Argv<A>;
  run(args: A, io: Io): Promise<number>;
}
