#!/usr/bin/env bash
# Installs what building and testing need, and only what is missing, so a warm machine starts in
# seconds and a fresh Debian machine with rustup gets everything from the package registries:
#   - the wasm32-unknown-unknown target (rustup)
#   - Trunk at a pinned version, and wasm-bindgen-cli at exactly the version in Cargo.lock (crates.io)
#   - wasm-split-cli (crate wasm_split_cli_support) at a pinned version: scripts/wasm-split.mjs, a
#     Trunk hook, splits the app's wasm at its lazily loaded functions with it (crates.io)
#   - npm packages from package-lock.json: binaryen (wasm-opt) and playwright-core
#   - with --browser: Debian's chromium and fonts-noto-cjk (apt)
# Nothing is downloaded from outside the registries: Trunk runs with --offline and uses the
# wasm-bindgen found on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_SPLIT_VERSION=0.2.4 # reads what wasm_split_helpers (Cargo.lock, through Leptos) writes
TRUNK_VERSION=0.21.14   # 0.22.x needs rustc 1.96.1; 0.21.14 builds with the workspace's rust 1.95
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# Tools are built from crates.io once; a lighter release profile cuts their build time roughly
# in half and does not matter for a build orchestrator.
tool_profile=(env CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false)
if ! trunk --version 2>/dev/null | grep -q "trunk $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 5-11 minutes on 2 cores, once)"
  "${tool_profile[@]}" cargo install trunk --version "$TRUNK_VERSION" --locked
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (the version Cargo.lock pins)"
  # Not --locked: one of its locked dependencies is no longer on crates.io.
  "${tool_profile[@]}" cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
# (no --version flag: cargo's list of installed crates says which version it is)
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (crate wasm_split_cli_support)"
  "${tool_profile[@]}" cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --locked --features build-binary --force
fi

# npm packages: playwright-core for the browser tests, binaryen for wasm-opt (size-tuned build).
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.installed-lock 2>/dev/null)" != "$lock_sum" ]; then
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund
  echo "$lock_sum" > node_modules/.installed-lock
fi

# The AWS CLI v1 and boto3 from PyPI, pinned, in a project-local venv: server/tests/aws_clients.py
# drives `ecs-sim serve` with them (scripts/test.sh).
PY_PINS=(awscli==1.46.2 boto3==1.44.8 botocore==1.44.8)
if [ "$(cat target/pyenv/.installed 2>/dev/null)" != "${PY_PINS[*]}" ]; then
  say "installing ${PY_PINS[*]} into target/pyenv"
  python3 -m venv target/pyenv
  target/pyenv/bin/pip install --quiet --disable-pip-version-check "${PY_PINS[@]}"
  echo "${PY_PINS[*]}" > target/pyenv/.installed
fi

if [ "$want_browser" = 1 ]; then
  # Chromium for the browser tests; Noto CJK so Chinese and Korean render as text, not boxes
  # (layout and overflow tests in those languages mean nothing without it).
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian's ${missing[*]}"
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
      || { $SUDO apt-get update && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; }
  fi
fi
say "ready: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version)"
