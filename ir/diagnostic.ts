// User-facing IR errors: one line, `file:line:col: error: message`, the form editors and FileCheck understand.
import type { Loc } from './core.ts';

export class IrError extends Error {
  constructor(
    message: string,
    readonly loc?: Loc,
  ) {
    super(message);
    this.name = 'IrError';
  }
  /** The one-line form printed by the CLI. */
  format(fallbackFile = '<input>'): string {
    const l = this.loc;
    return l ? `${l.file}:${l.line}:${l.col}: error: ${this.message}` : `${fallbackFile}: error: ${this.message}`;
  }
}
