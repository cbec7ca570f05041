#!/usr/bin/env bash
# The quota-scale scenarios of issue 19 (engine/benches/fixtures/) as an author runs them:
# `ecs-sim run FILE --until 3600 > file`, release build. With BASELINE=path/to/older/ecs-sim, both
# binaries run alternately in one go and the figures print side by side (best of RUNS, default 3;
# RUNS2 for the 5,000-instance row, default 1), with whether their outputs are byte-identical.
# Writes target/bench/quota.json.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
RUNS2=${RUNS2:-1}
cargo build -q -p ecs-sim --release
bin="$(cargo metadata --format-version 1 --no-deps 2>/dev/null | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/release/ecs-sim"
[ -x "$bin" ] || bin=target/release/ecs-sim
out=target/bench
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
best() { # binary file runs -> best wall seconds; output kept in $tmp/<label>.jsonl
  local b=$1 f=$2 n=$3 label=$4 best=
  for _ in $(seq "$n"); do
    local s e t
    s=$(date +%s.%N)
    "$b" run "$f" --until 3600 > "$tmp/$label.jsonl"
    e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  printf '%.3f' "$best"
}
json="["
printf '%-16s %12s %12s %10s %s\n' scenario baseline_s current_s lines same_bytes
for f in engine/benches/fixtures/quota-400x2000.json engine/benches/fixtures/quota-5000x5000.json; do
  name=$(basename "$f" .json)
  n=$RUNS; [ "$name" = quota-5000x5000 ] && n=$RUNS2
  base=null same=null
  if [ -n "${BASELINE:-}" ]; then base=$(best "$BASELINE" "$f" "$n" base); fi
  cur=$(best "$bin" "$f" "$n" cur)
  lines=$(wc -l < "$tmp/cur.jsonl")
  if [ -n "${BASELINE:-}" ]; then cmp -s "$tmp/base.jsonl" "$tmp/cur.jsonl" && same=true || same=false; fi
  printf '%-16s %12s %12s %10s %s\n' "$name" "$base" "$cur" "$lines" "$same"
  json="$json{\"scenario\":\"$name\",\"baselineSeconds\":$base,\"currentSeconds\":$cur,\"logLines\":$lines,\"sameBytes\":$same},"
done
echo "${json%,}]" > "$out/quota.json"
echo "written to $out/quota.json"
