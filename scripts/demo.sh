#!/usr/bin/env bash
# The main job, short: a real fuzz campaign on the default database (./tcfuzz.db, created on first use and
# resumed-into by later campaigns: findings already there are counted, not reported as new). Ends with the summary
# and where the findings are.
set -euo pipefail
cd "$(dirname "$0")/.."
time=${TCFUZZ_DEMO_TIME:-60s}
seed=${TCFUZZ_DEMO_SEED:-$(date +%s)}
db=${TCFUZZ_DEMO_DB:-tcfuzz.db}
echo "== fuzzing for $time (seed $seed) into $db: interp vs native vs wasm, IR and pipelines mutated together"
npx tcfuzz fuzz --db "$db" --time "$time" --seed "$seed" || status=$?
# 77 means the campaign found something new: that is the demo working. Only 2 (bad input, no toolchain) fails.
echo "seed pool: npx tcfuzz corpus export --db $db --out DIR"
[ "${status:-0}" -ne 2 ]
