//! `ecs-sim import-terraform`: Terraform files in, a scenario out (`terraform_import`).

use super::Failure;
use crate::terraform_import::{import, SourceFile};
use std::io::Write;
use std::path::Path;

/// The files Terraform reads from a directory: `*.tf`, `terraform.tfvars` and `*.auto.tfvars`
/// (https://developer.hashicorp.com/terraform/language/values/variables#variable-definitions-tfvars-files),
/// plus `*.json` there for `file(...)`. Sorted by name, as Terraform loads them.
fn dir_files(dir: &Path) -> Result<Vec<SourceFile>, Failure> {
    let entries = std::fs::read_dir(dir).map_err(|e| Failure::File(format!("{}: {e}", dir.display())))?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            p.is_file()
                && (n.ends_with(".tf")
                    || n == "terraform.tfvars"
                    || n.ends_with(".auto.tfvars")
                    || (n.ends_with(".json") && !n.ends_with(".tf.json")))
        })
        .collect();
    paths.sort();
    paths.iter().map(|p| read(p)).collect()
}

fn read(p: &Path) -> Result<SourceFile, Failure> {
    let text = std::fs::read_to_string(p).map_err(|e| Failure::File(format!("{}: {e}", p.display())))?;
    Ok(SourceFile::new(p.display().to_string(), text))
}

pub fn import_terraform_command(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, Failure> {
    let mut strict = false;
    let mut files = Vec::new();
    for a in args {
        if a == "--strict" {
            strict = true;
        } else if a.starts_with('-') {
            return Err(Failure::Usage(format!("unexpected argument \"{a}\"; the only option is --strict")));
        } else {
            let p = Path::new(a);
            if p.is_dir() {
                files.extend(dir_files(p)?);
            } else {
                files.push(read(p)?);
            }
        }
    }
    if files.is_empty() {
        return Err(Failure::Usage("which files? Give a directory of .tf files or the .tf files".into()));
    }
    let result = import(&files);
    for w in &result.warnings {
        let _ = writeln!(err, "warning: {w}");
    }
    let text = serde_json::to_string_pretty(&result.scenario).map_err(|e| Failure::File(e.to_string()))?;
    writeln!(out, "{text}").map_err(|e| Failure::File(e.to_string()))?;
    if let Err(e) = &result.loads {
        return Err(Failure::File(format!("the scenario built from these files does not load: {e}")));
    }
    Ok(if strict && !result.warnings.is_empty() { 1 } else { 0 })
}
