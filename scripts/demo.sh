#!/usr/bin/env bash
# The main job, short: generate programs, normalise them through our parser/printer, and check them on every
# backend against the reference interpreter. Output lands in .tcfuzz/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.tcfuzz/demo
rm -rf "$out"
mkdir -p "$out"
count=${TCFUZZ_DEMO_COUNT:-40}
seed=${TCFUZZ_DEMO_SEED:-$(date +%s)}
echo "== generating $count programs (seed $seed)"
npx tcfuzz gen --count "$count" --seed "$seed" --out "$out/programs"
echo "== round-tripping them through tcfuzz fmt"
npx tcfuzz fmt --out "$out/formatted" "$out"/programs/*.mlir
echo "== checking interp, native and wasm against each other"
npx tcfuzz check "$out/programs" --backends interp,native,wasm --json > "$out/check.json" || status=$?
node -e 'const r=require(process.argv[1]); const {disagreements, ...rest}=r; console.log(JSON.stringify(rest, null, 1)); for (const d of disagreements.slice(0, 5)) console.log("disagreement:", JSON.stringify(d));' "$PWD/$out/check.json"
echo "results: $out/check.json"
exit "${status:-0}"
