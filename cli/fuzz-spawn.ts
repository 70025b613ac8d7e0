// Starts one fuzz worker (cli/fuzz-worker.ts) as a child process that dies with tcfuzz (exec/children.ts).
import { fileURLToPath } from 'node:url';
import { spawnChild } from '../exec/children.ts';
import type { WorkerHandle } from '../fuzz/campaign.ts';
import type { ParentMessage, WorkerMessage } from '../fuzz/protocol.ts';

const WORKER = fileURLToPath(new URL('./fuzz-worker.ts', import.meta.url));

export function spawnFuzzWorker(k: number): WorkerHandle {
  const child = spawnChild(process.execPath, ['--import', import.meta.resolve('tsx'), WORKER], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, TCFUZZ_FUZZ_WORKER: String(k) },
  });
  // The last of its stderr names the cause when a worker dies.
  let tail = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (tail = (tail + s).slice(-4000)));
  return {
    send: (m: ParentMessage) => void (child.connected && child.send(m)),
    onMessage: (f: (m: WorkerMessage) => void) => void child.on('message', f),
    onExit: (f) =>
      void child.once('exit', (code, signal) => {
        if (code !== 0 && tail) process.stderr.write(`tcfuzz: fuzz worker ${k} stderr:\n${tail}\n`);
        f(code, signal);
      }),
    kill: () => void child.kill('SIGKILL'),
  };
}
