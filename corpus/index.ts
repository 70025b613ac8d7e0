// The corpus: one SQLite file per project of campaigns (README.md).
export { openCorpus, type OpenOptions } from './open.ts';
export { CorpusError, type CorpusProblem } from './corpus-error.ts';
export { APPLICATION_ID, SCHEMA_VERSION } from './schema.ts';
