# The two commands of the README, and a few extras. Each installs what it needs (scripts/setup.sh).
.PHONY: serve test build cli bench fuzz

# Tools installed by scripts/setup.sh: cargo's bin dir and npm's (wasm-opt from binaryen).
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

serve: ## build the site and serve it on http://127.0.0.1:8080 (default scenario loaded)
	scripts/setup.sh
	trunk serve --release --offline

test: ## run every test: cargo tests, wasm build, browser tests in Chromium
	scripts/test.sh

build: ## build the static site into dist/
	scripts/setup.sh
	trunk build --release --offline

cli: ## build the headless runner and its API server: target/release/ecs-sim, ecs-sim-serve
	cargo build --release -p ecs-sim -p ecs-sim-server

bench: ## print every benchmark figure (engine native and wasm, UI frames, size) into target/bench/
	scripts/bench.sh

fuzz: ## run each cargo-fuzz target for FUZZ_SECONDS (default 60); results in target/fuzz/results.txt
	scripts/fuzz.sh
