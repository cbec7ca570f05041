# The two commands of the README, and a few extras. Each installs what it needs (scripts/setup.sh).
.PHONY: serve test build cli bench fuzz reference

# Tools installed by scripts/setup.sh: cargo's bin dir and npm's (wasm-opt from binaryen).
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

serve: ## build the site and serve it on http://127.0.0.1:8080 (default scenario loaded)
	scripts/setup.sh
	# No live reload: Trunk injects it as an inline script, which the page's CSP (no inline
	# scripts, scripts/csp-externalize.mjs) refuses with a console error. Rebuild and reload by hand.
	trunk serve --release --offline --no-autoreload

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

reference: ## regenerate schema/*.schema.json and docs/reference.md from the engine's types
	cargo run -q -p ecs-sim -- schema scenario > schema/scenario.schema.json
	cargo run -q -p ecs-sim -- schema lesson > schema/lesson.schema.json
	cargo run -q -p ecs-sim -- reference > docs/reference.md
