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
# Exit 77 from check means it found something: that is the demo working. Only 2 (bad input, no toolchain) fails.
node -e '
const r = require(process.argv[1]);
const { disagreements, backend_failures, interp_ops, ...summary } = r;
console.log(JSON.stringify(summary, null, 1));
for (const d of disagreements.slice(0, 10)) console.log("DISAGREEMENT", JSON.stringify(d));
for (const f of backend_failures.slice(0, 10)) console.log("FAILURE", f.file, f.backend, f.kind, f.detail.slice(0, 160));
' "$PWD/$out/check.json"
echo "full results: $out/check.json"
[ "${status:-0}" -ne 2 ]
