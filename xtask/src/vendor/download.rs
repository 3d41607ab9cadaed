//! Downloading the pinned packages with `npm pack` and `pip download`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{ensure, Result};
use sha2::{Digest as _, Sha256, Sha512};

use crate::archive::Zip;
use crate::util::{base64, hex, note};

/// A downloaded package file.
pub(super) struct Download {
    pub(super) file_name: String,
    pub(super) bytes: Vec<u8>,
}

impl Download {
    pub(super) fn sha512_hex(&self) -> String {
        hex(&Sha512::digest(&self.bytes))
    }
    pub(super) fn sha256_hex(&self) -> String {
        hex(&Sha256::digest(&self.bytes))
    }
    pub(super) fn npm_integrity(&self) -> String {
        format!("sha512-{}", base64(&Sha512::digest(&self.bytes)))
    }
}

pub(super) fn npm_pack(dir: &Path, package: &str, version: &str) -> Result<Download> {
    let out = dir.join("npm");
    std::fs::create_dir_all(&out)?;
    crate::util::run(
        Command::new("npm")
            .arg("pack")
            .arg(format!("{package}@{version}"))
            .arg("--pack-destination")
            .arg(&out)
            .arg("--silent"),
    )?;
    single_file(&out, ".tgz")
}

pub(super) fn pip_download(dir: &Path, package: &str, version: &str) -> Result<Download> {
    let out = dir.join("pip");
    std::fs::create_dir_all(&out)?;
    let spec = format!("{package}=={version}");
    let args = [
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--quiet",
        spec.as_str(),
        "-d",
    ];
    let pip = crate::util::run(
        Command::new("python3")
            .args(["-m", "pip"])
            .args(args)
            .arg(&out),
    );
    if let Err(e) = pip {
        note(&format!("python3 -m pip failed ({e:#}); trying `pip`"));
        crate::util::run(Command::new("pip").args(args).arg(&out))?;
    }
    single_file(&out, ".whl")
}

fn single_file(dir: &Path, suffix: &str) -> Result<Download> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    ensure!(
        found.len() == 1,
        "expected one `*{suffix}` in {}, found {found:?}",
        dir.display()
    );
    let path = found.remove(0);
    Ok(Download {
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes: std::fs::read(&path)?,
    })
}

/// `License-Expression`/`License` from the wheel's METADATA.
pub(super) fn wheel_license(zip: &Zip<'_>, version: &str) -> String {
    let name = format!("cfn_lint-{version}.dist-info/METADATA");
    let Ok(meta) = zip.read(&name) else {
        return "?".to_owned();
    };
    let meta = String::from_utf8_lossy(&meta);
    for key in ["License-Expression: ", "License: "] {
        if let Some(v) = meta.lines().find_map(|l| l.strip_prefix(key)) {
            return v.trim().to_owned();
        }
    }
    "?".to_owned()
}
