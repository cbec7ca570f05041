#!/usr/bin/env bash
# Every benchmark, printing figures (nothing asserted): engine throughput natively (with the two
# quota-scale scenarios of issue 19) and in wasm (Chromium), the placement microbenchmark, UI frame
# times with many tasks, time to first drawn cluster, and the site's size (raw, gzip, brotli).
# Results land in target/bench/*.json. BASELINE=path/to/an/older/ecs-sim adds the quota-scale
# scenarios (issue 19) timed for both binaries side by side (scripts/bench-quota.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
step "engine, native (cargo bench)"
cargo bench -p ecs-sim --bench throughput
step "placement microbenchmark, native: 500 instances (goal > 50,000 placements/s)"
cargo bench -p ecs-sim --bench placement
if [ -n "${BASELINE:-}" ]; then
  step "quota scale: ecs-sim run, $BASELINE vs this build"
  scripts/bench-quota.sh
fi
step "build the site"
trunk build --release --offline
step "engine, wasm in Chromium"
node tests/bench/engine-wasm.mjs
if [ -f tests/bench/frames.mjs ]; then
  step "UI frame intervals, dropped frames and main-thread work per frame in Chromium (tests/bench/frames.mjs explains each figure)"
  node tests/bench/frames.mjs
fi
step "Lighthouse 12.2.3 (mobile and desktop): accessibility, best practices, performance"
node tests/bench/lighthouse.mjs
step "size of dist/"
node tests/bench/size.mjs
step "what the wasm's bytes are (sections, code by crate and module)"
node tests/bench/wasm-breakdown.mjs
echo; echo "results: target/bench/"
