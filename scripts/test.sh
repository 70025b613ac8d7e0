#!/usr/bin/env bash
# Runs every test file with node's test runner (Node 20 does not expand globs for --test itself).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find test -name '*.test.ts' | sort)
exec node --import tsx --test --test-reporter=spec "${files[@]}"
