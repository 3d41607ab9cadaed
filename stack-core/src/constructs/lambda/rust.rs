//! `Code::rust(crate)`: a binary crate of the workspace, built with cargo for Lambda's
//! `provided.al2023` runtime and staged as the `bootstrap` of a file asset.
//!
//! The build runs when the stack is built (at synth), in a target directory of its own,
//! `<workspace target>/lambda`, so it never waits on or invalidates the workspace's own
//! builds; cargo's freshness check makes it free when the sources did not change, and the
//! staged directory `<workspace target>/lambda/assets/<crate>-<arch>` then has the same
//! content hash, so deploy uploads nothing new.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value as Json;
use stack_spec::suggest::did_you_mean;

use super::Architecture;

/// The newest glibc `provided.al2023` has: a `bootstrap` that needs a newer one does not start.
const AL2023_GLIBC: (u32, u32) = (2, 34);

/// How many of cargo's last output lines a build failure shows.
const FAILURE_LINES: usize = 30;

/// Builds `package` (a package name of the workspace that holds `manifest_dir`, or the
/// path of its directory, relative to `manifest_dir`) for `architecture`, and returns the
/// staging directory that holds it as an executable `bootstrap`.
pub(super) fn build(
    manifest_dir: &Path,
    package: &str,
    architecture: Architecture,
) -> Result<PathBuf, String> {
    let manifest_dir = if manifest_dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        manifest_dir
    };
    let workspace = Workspace::read(manifest_dir)?;
    let (name, binary) = workspace.binary(manifest_dir, package)?;
    let triple = triple(architecture);
    let tool = Toolchain::find(manifest_dir, triple, architecture)?;
    let target_dir = workspace.target_directory.join("lambda");

    let mut command = Command::new(cargo());
    command.current_dir(manifest_dir);
    match tool {
        Toolchain::Cargo => command.args(["build", "--target", triple]),
        // `<triple>.2.34` links against the glibc symbols al2023 has, whatever the host has.
        Toolchain::Zig => command.args([
            "zigbuild".to_owned(),
            "--target".to_owned(),
            format!("{triple}.{}.{}", AL2023_GLIBC.0, AL2023_GLIBC.1),
        ]),
    };
    command
        .args([
            "--release",
            "--package",
            &name,
            "--bin",
            &binary,
            "--target-dir",
        ])
        .arg(&target_dir);
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo to build `{name}`: {e}"))?;
    if !output.status.success() {
        let log = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(FAILURE_LINES)..].join("\n");
        return Err(format!(
            "building Rust crate `{name}` for {} failed:\n{tail}",
            architecture.as_str()
        ));
    }

    let built = target_dir.join(triple).join("release").join(&binary);
    let bytes = fs::read(&built)
        .map_err(|e| format!("cannot read the built binary `{}`: {e}", built.display()))?;
    if let Some((major, minor)) = newest_glibc(&bytes).filter(|v| *v > AL2023_GLIBC) {
        return Err(format!(
            "Rust crate `{name}` was linked against glibc {major}.{minor} of this machine, but \
             `provided.al2023` has glibc {}.{}: the function would not start; install \
             cargo-zigbuild (`pip install ziglang cargo-zigbuild`), which links against glibc {0}.{1}",
            AL2023_GLIBC.0, AL2023_GLIBC.1
        ));
    }
    let staging = target_dir
        .join("assets")
        .join(format!("{name}-{}", architecture.as_str()));
    stage(&staging, &bytes)?;
    Ok(staging)
}

/// The Rust target Lambda runs `architecture` on.
const fn triple(architecture: Architecture) -> &'static str {
    match architecture {
        Architecture::X86_64 => "x86_64-unknown-linux-gnu",
        Architecture::Arm64 => "aarch64-unknown-linux-gnu",
    }
}

/// The cargo that runs this program (`cargo run`, `cargo test`), else the one on `PATH`.
fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// What `cargo metadata` says of the workspace.
struct Workspace {
    target_directory: PathBuf,
    /// Each package's name, directory and binary targets.
    packages: Vec<(String, PathBuf, Vec<String>)>,
}

impl Workspace {
    fn read(manifest_dir: &Path) -> Result<Self, String> {
        let output = Command::new(cargo())
            .current_dir(manifest_dir)
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .output()
            .map_err(|e| format!("cannot run `cargo metadata`: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "`cargo metadata` failed in `{}`: {}",
                manifest_dir.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        let json: Json = serde_json::from_slice(&output.stdout)
            .map_err(|e| format!("cannot read `cargo metadata`'s output: {e}"))?;
        let text = |v: &Json, key: &str| v[key].as_str().unwrap_or_default().to_owned();
        let packages = json["packages"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|package| {
                let manifest = PathBuf::from(text(package, "manifest_path"));
                let binaries = package["targets"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|t| {
                        t["kind"]
                            .as_array()
                            .is_some_and(|k| k.contains(&"bin".into()))
                    })
                    .map(|t| text(t, "name"))
                    .collect();
                let dir = manifest.parent().map(Path::to_path_buf).unwrap_or_default();
                (text(package, "name"), dir, binaries)
            })
            .collect();
        Ok(Self {
            target_directory: PathBuf::from(text(&json, "target_directory")),
            packages,
        })
    }

    /// The package `wanted` names (by name, or by its directory) and the binary to build.
    fn binary(&self, manifest_dir: &Path, wanted: &str) -> Result<(String, String), String> {
        let dir = fs::canonicalize(manifest_dir.join(wanted)).ok();
        let found = self.packages.iter().find(|(name, path, _)| {
            name == wanted
                || dir
                    .as_ref()
                    .is_some_and(|d| fs::canonicalize(path).ok().as_ref() == Some(d))
        });
        let Some((name, _, binaries)) = found else {
            let names = self.packages.iter().map(|(name, _, _)| name.as_str());
            return Err(format!(
                "`{wanted}` is not a package of the workspace (nor the directory of one){}",
                did_you_mean(wanted, names)
            ));
        };
        match binaries.as_slice() {
            [only] => Ok((name.clone(), only.clone())),
            [] => Err(format!(
                "Rust crate `{name}` has no binary target; a Lambda bootstrap is a program, \
                 add `src/main.rs`"
            )),
            several => match several.iter().find(|b| *b == name) {
                Some(same) => Ok((name.clone(), same.clone())),
                None => Err(format!(
                    "Rust crate `{name}` has several binaries ({}) and none is named after \
                     the crate",
                    several.join(", ")
                )),
            },
        }
    }
}

/// How a target is built on this machine.
#[derive(Debug, PartialEq, Eq)]
enum Toolchain {
    /// Plain `cargo build`: the host's own Linux target, or a cross target whose linker is
    /// set with `CARGO_TARGET_<TRIPLE>_LINKER`.
    Cargo,
    /// `cargo zigbuild`, when `cargo-zigbuild` is on `PATH`: zig links for any target and
    /// against al2023's glibc.
    Zig,
}

impl Toolchain {
    /// The way to build `triple` here, or what is missing, saying what to install.
    fn find(manifest_dir: &Path, triple: &str, architecture: Architecture) -> Result<Self, String> {
        let mut missing = Vec::new();
        if !std_installed(manifest_dir, triple) {
            missing.push(format!(
                "the Rust standard library for `{triple}` (`rustup target add {triple}`)"
            ));
        }
        let zig = on_path("cargo-zigbuild");
        let linker_var = format!(
            "CARGO_TARGET_{}_LINKER",
            triple.to_uppercase().replace('-', "_")
        );
        let native = cfg!(target_os = "linux") && std::env::consts::ARCH == host_arch(architecture);
        if !zig && !native && std::env::var_os(&linker_var).is_none() {
            missing.push(format!(
                "a linker for `{triple}`: cargo-zigbuild (`pip install ziglang cargo-zigbuild`, \
                 or `cargo install cargo-zigbuild` with zig installed) or `{linker_var}` set to a \
                 cross linker"
            ));
        }
        if !missing.is_empty() {
            return Err(format!(
                "cannot build for {} on this {} {} machine; install {}",
                architecture.as_str(),
                std::env::consts::OS,
                std::env::consts::ARCH,
                missing.join(" and ")
            ));
        }
        Ok(if zig { Self::Zig } else { Self::Cargo })
    }
}

/// `std::env::consts::ARCH` of a machine that runs `architecture` natively.
const fn host_arch(architecture: Architecture) -> &'static str {
    match architecture {
        Architecture::X86_64 => "x86_64",
        Architecture::Arm64 => "aarch64",
    }
}

/// Whether the toolchain that builds in `manifest_dir` has the standard library for `triple`.
fn std_installed(manifest_dir: &Path, triple: &str) -> bool {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let Ok(output) = Command::new(rustc)
        .current_dir(manifest_dir)
        .args(["--print", "sysroot"])
        .output()
    else {
        return false;
    };
    let sysroot = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    sysroot
        .join("lib/rustlib")
        .join(triple)
        .join("lib")
        .is_dir()
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// The newest `GLIBC_x.y` symbol version an ELF asks for: the version names live in its
/// dynamic string table, the only place a linked binary spells them.
fn newest_glibc(elf: &[u8]) -> Option<(u32, u32)> {
    const TAG: &[u8] = b"GLIBC_";
    let number = |bytes: &[u8]| -> (Option<u32>, usize) {
        let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        let value = std::str::from_utf8(&bytes[..digits])
            .ok()
            .and_then(|s| s.parse().ok());
        (value, digits)
    };
    elf.windows(TAG.len())
        .enumerate()
        .filter(|(_, w)| *w == TAG)
        .filter_map(|(at, _)| {
            let rest = &elf[at + TAG.len()..];
            let (major, len) = number(rest);
            let minor = rest
                .get(len)
                .filter(|b| **b == b'.')
                .map(|_| number(&rest[len + 1..]).0);
            Some((major?, minor.flatten()?))
        })
        .max()
}

/// Writes `bytes` as `<staging>/bootstrap`, mode 0755, unless it is already there: the
/// asset directory then keeps its content hash. Written beside and renamed, so a
/// concurrent build of the same crate never sees half a file.
fn stage(staging: &Path, bytes: &[u8]) -> Result<(), String> {
    let bootstrap = staging.join("bootstrap");
    let problem = |e: std::io::Error| format!("cannot stage `{}`: {e}", bootstrap.display());
    fs::create_dir_all(staging).map_err(problem)?;
    if fs::read(&bootstrap).is_ok_and(|current| current == bytes) && is_executable(&bootstrap) {
        return Ok(());
    }
    // Beside the directory, not in it: the asset is the directory's contents.
    static ATTEMPT: AtomicUsize = AtomicUsize::new(0);
    let attempt = ATTEMPT.fetch_add(1, Ordering::Relaxed);
    let partial = staging.with_extension(format!("{}-{attempt}", std::process::id()));
    fs::write(&partial, bytes).map_err(problem)?;
    make_executable(&partial).map_err(problem)?;
    fs::rename(&partial, &bootstrap).map_err(problem)
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o777 == 0o755)
}

#[cfg(unix)]
fn make_executable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn is_executable(_: &Path) -> bool {
    true
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_glibc_version_is_read_from_the_version_names() {
        let elf = b"\0libc.so.6\0GLIBC_2.2.5\0GLIBC_2.34\0GLIBC_2.17\0GLIBC_PRIVATE\0";
        assert_eq!(newest_glibc(elf), Some((2, 34)));
        assert_eq!(newest_glibc(b"\0GLIBC_2.39\0GLIBC_2.3\0"), Some((2, 39)));
        assert_eq!(newest_glibc(b"static binary"), None);
    }

    #[test]
    fn a_crate_that_does_not_compile_is_an_error_with_cargos_last_lines() {
        let dir = std::env::temp_dir().join(format!("stack-rust-broken-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("src")).expect("temp dir is writable");
        fs::write(
            dir.join("Cargo.toml"),
            "[package]\nname = \"broken\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[workspace]\n",
        )
        .expect("temp dir is writable");
        fs::write(
            dir.join("src/main.rs"),
            "fn main() { let x: u8 = \"no\"; }\n",
        )
        .expect("temp dir is writable");
        // The machine's own architecture, which plain cargo builds.
        let architecture = if std::env::consts::ARCH == "aarch64" {
            Architecture::Arm64
        } else {
            Architecture::X86_64
        };
        let error = build(&dir, ".", architecture).expect_err("does not compile");
        let arch = architecture.as_str();
        assert!(
            error.starts_with(&format!(
                "building Rust crate `broken` for {arch} failed:\n"
            )),
            "{error}"
        );
        assert!(error.contains("error[E0308]: mismatched types"), "{error}");
        assert!(error.lines().count() <= FAILURE_LINES + 1, "{error}");
        fs::remove_dir_all(&dir).expect("temp dir is removable");
    }

    #[test]
    fn triples_are_lambdas_linux_targets() {
        assert_eq!(triple(Architecture::X86_64), "x86_64-unknown-linux-gnu");
        assert_eq!(triple(Architecture::Arm64), "aarch64-unknown-linux-gnu");
    }
}
