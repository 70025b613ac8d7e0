// The campaign's parent on stand-in workers: what it passes between them. A worker's kept seed reaches every other
// worker once, in its starting pool or passed on later, when the campaign runs for a time budget; and never in an
// --iterations campaign, whose cases must not depend on when another worker's seeds arrive.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CampaignSettings, CampaignStore, WorkerHandle } from '../../fuzz/campaign.ts';
import { Campaign } from '../../fuzz/campaign.ts';
import type { ParentMessage, SeedRecord, WorkerMessage } from '../../fuzz/protocol.ts';

const settings = (budget: { iterations: number } | { timeMs: number }, noFeedback = false): CampaignSettings => ({
  jobs: 3,
  seed: 1,
  noFeedback,
  backends: ['native'],
  stallLimit: 8,
  floodThreshold: 4,
  timeoutMs: 1000,
  compileTimeoutMs: 1000,
  stepBudget: 1000,
  ...budget,
});

const store: CampaignStore = {
  addSeed() {},
  recordFinding: () => ({ id: '1', isNew: true, count: 1 }),
  addStats() {},
  saveCheckpoint() {},
};

const seed = (key: string): SeedRecord => ({ key, name: key, text: 'module {}', pipeline: '', inputSeed: 0, lineage: 'generate', hits: [7, 1] });

/** Workers that each keep one seed when started and stay a little; per worker, the keys of the seeds it was given (its starting pool, then those passed on). */
async function run(s: CampaignSettings): Promise<Map<number, string[]>> {
  const received = new Map<number, string[]>();
  const spawn = (k: number): WorkerHandle => {
    let emit: (m: WorkerMessage) => void = () => {};
    let exit: (code: number | null, signal: string | null) => void = () => {};
    received.set(k, []);
    return {
      send(m: ParentMessage) {
        if (m.type === 'seeds') received.get(k)!.push(...m.seeds.map((x) => x.key));
        if (m.type !== 'start') return;
        received.get(k)!.push(...m.config.pool.map((x) => x.key));
        emit({ type: 'seed', seed: seed(`w${k}.0`) });
        emit({ type: 'progress', delta: { iteration: m.config.iterations ?? 1, cases: 1, judged: 1, discarded: {}, suppressed: 0, unconfirmed: 0, stageMs: {} } });
        setTimeout(() => (emit({ type: 'done' }), exit(0, null)), 50);
      },
      onMessage(f) {
        emit = f;
        setImmediate(() => f({ type: 'ready' }));
      },
      onExit(f) {
        exit = f;
      },
      kill() {
        exit(null, 'SIGKILL');
      },
    };
  };
  await new Campaign(s, store, spawn).run();
  return received;
}

test('a time-budgeted campaign gives each kept seed to every other worker, once', async () => {
  const received = await run(settings({ timeMs: 10_000 }));
  for (const [k, keys] of received) assert.deepEqual(keys.sort(), [0, 1, 2].filter((j) => j !== k).map((j) => `w${j}.0`), `worker ${k}`);
});

test("an --iterations campaign, and the random baseline, give no worker another one's seeds", async () => {
  for (const s of [settings({ iterations: 3 }), settings({ timeMs: 10_000 }, true)]) {
    const received = await run(s);
    for (const [k, keys] of received) assert.deepEqual(keys, [], `worker ${k}`);
  }
});
