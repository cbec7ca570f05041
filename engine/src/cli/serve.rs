//! `ecs-sim serve ...` runs `ecs-sim-serve` (the `server/` crate, which holds the HTTP stack so
//! this crate stays free of it), the way cargo runs external subcommands: next to this executable
//! first, then on PATH.

use std::io::Write;
use std::path::PathBuf;

pub const HOW_TO_BUILD: &str =
    "ecs-sim serve needs the ecs-sim-serve binary (the server/ crate), next to ecs-sim or on PATH.
Build it with:  make cli   (or: cargo build --release -p ecs-sim-server)";

fn find() -> Option<PathBuf> {
    let name = format!("ecs-sim-serve{}", std::env::consts::EXE_SUFFIX);
    let beside = std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.join(&name)));
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(&name));
    beside.into_iter().chain(on_path).find(|p| p.is_file())
}

/// Runs `ecs-sim-serve ARGS` and returns its exit code (2 if it cannot be found or started).
pub fn serve_command(args: &[String], err: &mut dyn Write) -> i32 {
    let Some(path) = find() else {
        let _ = writeln!(err, "ecs-sim: {HOW_TO_BUILD}");
        return 2;
    };
    let mut cmd = std::process::Command::new(&path);
    cmd.args(args);
    // On Unix the server replaces this process (as cargo runs its external subcommands), so the
    // process a test or a shell started is the server itself: stopping it stops the server, and no
    // orphaned ecs-sim-serve keeps the port and the caller's pipes open.
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let e = cmd.exec();
        let _ = writeln!(err, "ecs-sim: cannot run {}: {e}\n{HOW_TO_BUILD}", path.display());
        2
    }
    #[cfg(not(unix))]
    match cmd.status() {
        Ok(s) => s.code().unwrap_or(1),
        Err(e) => {
            let _ = writeln!(err, "ecs-sim: cannot run {}: {e}\n{HOW_TO_BUILD}", path.display());
            2
        }
    }
}
