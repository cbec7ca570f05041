#!/usr/bin/env bash
# Every test: engine and app unit/property tests, the engine's independence from web crates,
# the wasm build of the site into dist/, and the browser tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# CI builds once from a clean clone: incremental caches (several GB for the test binaries) buy nothing.
[ "${CI:-}" = true ] && export CARGO_INCREMENTAL=0
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "engine has no web dependency"
if cargo tree -p ecs-sim -e normal --prefix none | grep -E '^(leptos|web-sys|js-sys|wasm-bindgen|gloo|tokio|axum|hyper|tower)' ; then
  echo "ecs-sim must not depend on web or server crates"; exit 1
fi
echo "ok: cargo tree -p ecs-sim shows no web or server crate"

step "clippy: no warnings; no unwrap, expect or panic outside tests (the [lints] table in Cargo.toml denies them)"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo test --workspace"
cargo test --workspace --quiet

step "soak: 7 simulated days with a fault every 7 minutes"
cargo run --release --quiet -p ecs-sim --example soak

step "build the CLI and the site (dist/)"
cargo build --release -p ecs-sim -p ecs-sim-server --quiet

step "ecs-sim serve driven by boto3 and the AWS CLI v1"
target/pyenv/bin/python server/tests/aws_clients.py "${CARGO_TARGET_DIR:-target}/release/ecs-sim"
trunk build --release --offline

step "browser tests (Chromium)"
node tests/e2e/run.mjs
