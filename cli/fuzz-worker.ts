// A fuzz worker process: the campaign's parent starts `--jobs` of these. It wires the compiler-agnostic loop of fuzz/
// to the registry's executors, the reference and the oracles, then fuzzes until its share is done or it is told to
// stop. It writes nothing itself: seeds, findings and progress go to the parent over IPC.
import { checkCases } from '../check/check-cases.ts';
import type { TestCase } from '../contracts/case.ts';
import { FuzzLoop } from '../fuzz/fuzz-loop.ts';
import type { ParentMessage, SeedRecord, WorkerConfig, WorkerMessage } from '../fuzz/protocol.ts';
import { defaultOracles } from '../oracles/index.ts';
import { blamedSignature } from '../oracles/signature.ts';
import { createExecutor, reference, targetOf } from '../targets/registry.ts';
import { seedPrograms } from '../seeds/index.ts';

const send = (m: WorkerMessage): void => void process.send!(m);

async function work(cfg: WorkerConfig, stopped: () => boolean): Promise<void> {
  const executors = cfg.backends.map(createExecutor);
  const catalog = targetOf(cfg.backends[0]!)!.catalog;
  const oracles = defaultOracles(catalog);
  const exec = { timeoutMs: cfg.timeoutMs, compileTimeoutMs: cfg.compileTimeoutMs };
  const runCases = (cases: Iterable<TestCase>) =>
    checkCases(cases, { reference, executors, oracles, exec, stepBudget: cfg.stepBudget, coverageFrom: executors[0]!.name });
  try {
    await new FuzzLoop(cfg, { runCases, catalog, initialPrograms: seedPrograms(), send, stopped, blame: blamedSignature, received: () => received.splice(0) }).run();
  } finally {
    await Promise.all(executors.map((e) => e.close()));
  }
}

let stop = false;
/** Seeds from other workers, not yet taken by the loop. */
const received: SeedRecord[] = [];
let finished = false;
// Exits outright once the parent has the last message: abandoned batches may still hold tools and timers.
const end = (m: WorkerMessage, code: number): void => {
  finished = true;
  process.send!(m, () => process.exit(code));
};
process.on('message', (m: ParentMessage) => {
  if (m.type === 'stop') stop = true;
  else if (m.type === 'seeds') received.push(...m.seeds);
  else if (m.type === 'start')
    work(m.config, () => stop).then(
      () => end({ type: 'done' }, 0),
      (e: Error) => end({ type: 'error', message: e.stack ?? e.message }, 1),
    );
});
process.on('disconnect', () => {
  // The parent went away: nothing this worker finds could be stored any more.
  if (!finished) process.exit(1);
});
send({ type: 'ready' });
