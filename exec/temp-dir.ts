// Temporary directories that go away however the work ends: normally, by an exception, or by a signal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onShutdown, shutdownSignal } from './children.ts';

export async function withTempDir<T>(prefix: string, f: (dir: string) => Promise<T>): Promise<T> {
  // Shutdown hooks have already run (or are running): a directory made now would outlive the process.
  const stopping = shutdownSignal();
  if (stopping) throw new Error(`not starting new work: stopping on ${stopping}`);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  const unregister = onShutdown(remove);
  try {
    return await f(dir);
  } finally {
    unregister();
    remove();
  }
}
