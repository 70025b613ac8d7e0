// Feature ids as a blob of little-endian uint32s, whatever the machine's byte order.
import { endianness } from 'node:os';

const LITTLE = endianness() === 'LE';

export function encodeFeatures(ids: Uint32Array | readonly number[]): Buffer {
  const arr = ids instanceof Uint32Array ? ids : Uint32Array.from(ids);
  if (LITTLE) return Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength);
  const out = Buffer.alloc(arr.length * 4);
  arr.forEach((v, i) => out.writeUInt32LE(v, i * 4));
  return out;
}

export function decodeFeatures(blob: Uint8Array): Uint32Array {
  const n = blob.byteLength >>> 2;
  if (LITTLE) return new Uint32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + n * 4));
  const out = new Uint32Array(n);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}
