//! `ecs-sim link`: the share link that opens a file in the playground (`share_link::encode` with
//! the file as a custom scenario, so a lesson travels with its texts and pauses).

use super::{Args, Failure};
use crate::share_link::{encode, parse_seconds, ShareState, Source, MAX_T_SECONDS};
use serde_json::Value;
use std::io::Write;

/// Where `make serve` serves the playground.
pub const DEFAULT_BASE: &str = "http://127.0.0.1:8080/";
/// The playground's default speed (`src/app.rs`), which a link leaves out.
const DEFAULT_SPEED: u32 = 10;

/// The link for a scenario document: the JSON minified (and without `$schema`, which only editors
/// read), then packed as `scenario=`. The document must load.
pub fn link_for(text: &str, t: f64, base: &str) -> Result<String, String> {
    crate::load(text, None).map_err(|e| e.to_string())?;
    let mut v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if let Some(o) = v.as_object_mut() {
        o.remove("$schema");
    }
    let compact = serde_json::to_string(&v).map_err(|e| e.to_string())?;
    let state = ShareState { source: Source::Custom(compact), t, ..Default::default() };
    let query = encode(&state, DEFAULT_SPEED);
    let sep = if base.contains('?') { '&' } else { '?' };
    Ok(format!("{base}{sep}{query}"))
}

pub fn link_command(args: &[String], out: &mut dyn Write) -> Result<i32, Failure> {
    let a = Args::parse(args, &["--t", "--base"], &[], true)?;
    let t = match a.value("--t") {
        Some(v) => match parse_seconds(v) {
            Some(t) if t <= MAX_T_SECONDS => t,
            _ => {
                return Err(Failure::Usage(format!(
                    "--t: \"{v}\" is not a number of seconds from 0 to {MAX_T_SECONDS}"
                )))
            }
        },
        None => 0.0,
    };
    let base = a.value("--base").unwrap_or(DEFAULT_BASE);
    if !(base.starts_with("http://") || base.starts_with("https://") || base.starts_with("file://")) {
        return Err(Failure::Usage(format!("--base: \"{base}\" is not an http(s) address")));
    }
    let (path, text) = a.read_file()?;
    let link = link_for(&text, t, base).map_err(|e| Failure::File(format!("{path}: {e}")))?;
    writeln!(out, "{link}").map_err(|e| Failure::File(e.to_string()))?;
    Ok(0)
}
