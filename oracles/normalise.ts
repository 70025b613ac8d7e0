// What two correct executions of one program may print differently. Every stdout comparison goes through this
// list, in order, on both sides; anything else that differs is a difference.

export type StdoutNormaliser = {
  readonly name: string;
  /** Matched against the bytes read as latin1 (one char per byte), so non-UTF-8 output survives unchanged. */
  readonly pattern: RegExp;
  readonly replacement: string;
};

export const STDOUT_NORMALISERS: readonly StdoutNormaliser[] = [
  {
    // printMemref* prints the data pointer: it differs between runs, backends and the reference's fake addresses.
    // libstdc++ prints a null pointer as plain 0.
    name: 'memref-address',
    pattern: /base@ = (?:0x[0-9a-f]+|0)(?= rank = )/g,
    replacement: 'base@ = 0xADDR',
  },
  {
    // The sign of a NaN is not specified: x86 computes 0/0 as a negative NaN, constant folders and wasm give a
    // positive one, so `-nan` and `nan` are the same observation.
    name: 'nan-sign',
    pattern: /-nan\b/g,
    replacement: 'nan',
  },
];

/** Text (a latin1 string: one char per byte) with the normalisers applied in order, unchanged otherwise. */
export function normaliseStdoutText(text: string, normalisers: readonly StdoutNormaliser[] = STDOUT_NORMALISERS): string {
  return normalisers.reduce((s, n) => s.replace(n.pattern, n.replacement), text);
}

/** stdout bytes with every normaliser applied. */
export function normaliseStdout(stdout: Uint8Array): Uint8Array {
  return Uint8Array.from(Buffer.from(normaliseStdoutText(latin1(stdout)), 'latin1'));
}

/** One char per byte: a lossless view of arbitrary bytes as a string. */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
