// A store tcfuzz will not open or write: a usage error (exit 2), never a finding.

export type CorpusProblem =
  | 'missing' // no file, and not asked to create one
  | 'unreadable' // a folder, no permission, an I/O error
  | 'not-sqlite' // no SQLite header: a text file, an empty file
  | 'corrupt' // SQLite's header, damaged content
  | 'foreign' // an SQLite database of another application
  | 'newer' // written by a newer tcfuzz
  | 'needs-migration' // older schema, opened read-only
  | 'export' // exportPool's folder already holds an export
  | 'import'; // importPool's folder is not a readable export

export class CorpusError extends Error {
  override readonly name = 'CorpusError';
  constructor(
    readonly path: string,
    readonly problem: CorpusProblem,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}
