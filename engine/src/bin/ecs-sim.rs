//! The `ecs-sim` command line: `run`, `check`, `link` (see `ecs_sim::cli` and `ecs-sim --help`).
// A panic in wasm kills the page, and the CLI and server must answer bad input with an error that
// names the field: no unwrap, expect or panic outside tests (clippy enforces it in scripts/test.sh).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let code = ecs_sim::cli::main(&args, &mut stdout.lock(), &mut stderr.lock());
    ExitCode::from(code.clamp(0, 255) as u8)
}
