//! The `ecs-sim` command line: `run`, `check`, `link` (see `ecs_sim::cli` and `ecs-sim --help`).
// No unwrap, expect or panic outside tests: the workspace's [lints] table (Cargo.toml) denies them.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let code = ecs_sim::cli::main(&args, &mut stdout.lock(), &mut stderr.lock());
    ExitCode::from(code.clamp(0, 255) as u8)
}
