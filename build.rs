//! Generates the typed `i18n` module from `locales/*.json` (leptos_i18n's codegen). What the
//! compiler enforces: a key or interpolation variable used in the code must exist in en.json (the
//! default locale), else `t!` does not compile. What it does not: a key missing from zh-CN, ko or
//! ru is only a build warning and shows the English text. So `src/i18n_setup.rs` tests that every
//! file has exactly en.json's keys, the same placeholders, and no text left in English.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    // Keep the linker's relocations in the app's wasm: scripts/wasm-split.mjs (a Trunk hook) needs
    // them to cut the `#[lazy]` functions into chunks fetched when first called (issue 19).
    if std::env::var("TARGET").is_ok_and(|t| t.starts_with("wasm32")) {
        println!("cargo::rustc-link-arg-bins=--emit-relocs");
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    // The tags other parts of the project use (lesson files, share links): en, zh-CN, ko, ru.
    // `interpolate_display` lets `t_string!` format a translation with values into a String
    // (aria-labels, titles, notices).
    let cfg = Config::new("en")?
        .add_locale("zh-CN")?
        .add_locale("ko")?
        .add_locale("ru")?
        .parse_options(ParseOptions::default().interpolate_display(true));
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    Ok(())
}
