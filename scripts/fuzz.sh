#!/usr/bin/env bash
# `make fuzz`: run each cargo-fuzz target (fuzz/) for FUZZ_SECONDS (default 60) with libFuzzer,
# starting from the committed corpus, and write the run statistics to target/fuzz/results.txt.
# Needs cargo-fuzz (installed here from crates.io if missing) and a nightly rustc: the nightly
# toolchain when rustup has one, else the stable one with RUSTC_BOOTSTRAP=1 (libFuzzer's
# sanitizer flags are nightly-only).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${FUZZ_SECONDS:-60}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
if rustup toolchain list | grep -q '^nightly'; then tc=(+nightly); else tc=(); export RUSTC_BOOTSTRAP=1; fi
out=target/fuzz; mkdir -p "$out"
: > "$out/results.txt"
for t in scenario task_definition cql schedule_expression; do
  # Work on a copy of the corpus: new inputs libFuzzer finds stay out of git unless copied in.
  work="$out/corpus/$t"; mkdir -p "$work"; cp -n fuzz/corpus/$t/* "$work/" 2>/dev/null || true
  echo "== $t for ${seconds}s"
  log="$out/$t.log"
  if (cd fuzz && cargo "${tc[@]}" fuzz run "$t" "../$work" -- -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536) >"$log" 2>&1; then
    result=ok
  else
    result="CRASH (see $log and fuzz/artifacts/$t/)"
  fi
  runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+' | tail -1 || true)
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
  corp=$(ls "$work" | wc -l)
  line="$t: $result, ${runs:-?} runs in ${seconds}s, coverage ${cov:-?} edges, corpus $corp inputs"
  echo "$line" | tee -a "$out/results.txt"
done
grep -q CRASH "$out/results.txt" && exit 1 || exit 0
