//! `cargo xtask vendor-schema`: download the pinned schema packages and reduce them to
//! `xtask/vendor/cfn/resources.json` (plus `SOURCES.md`, `sources.json` and the cfn-lint
//! pin the tests read).
//!
//! Inputs:
//! - `@aws-cdk/aws-service-spec` (npm, Apache-2.0): `db.json.gz`, CDK's database of every
//!   resource type. It gives property types, required flags, nested types, typed
//!   attributes, what `Ref` returns, replacement flags, `relationshipRefs`, ARN templates.
//! - `cfn-lint` (PyPI, MIT-0): the registry schemas it bundles. Only their value
//!   constraints are taken (`enum`, `pattern`, `minLength`/`maxLength`,
//!   `minimum`/`maximum`, `minItems`/`maxItems`), so the checks `stack!` makes on
//!   literals agree with the linter the tests run.

mod download;
mod reduce;
mod schemas;
mod sources;

use std::path::Path;

use anyhow::{ensure, Context as _, Result};
use serde_json::Value;

use crate::archive::{gunzip, untar, Zip};
use crate::util::{note, read_text, today_utc, workspace_root, write_if_changed};
use download::{npm_pack, pip_download, wheel_license};
use reduce::{reduce, render_resources, Stats};
use schemas::Schemas;
use sources::SourcesInfo;

pub(crate) use reduce::canonical;

/// npm package with CDK's resource database.
pub(crate) const SPEC_PACKAGE: &str = "@aws-cdk/aws-service-spec";
/// Exact version vendored (bump with `--spec-version`, then update this constant).
const SPEC_VERSION: &str = "0.1.216";
/// PyPI package whose bundled registry schemas give value constraints.
pub(crate) const CFN_LINT_PACKAGE: &str = "cfn-lint";
/// Exact version: the same the test suite lints generated templates with.
const CFN_LINT_VERSION: &str = "1.58.0";

/// The reduced database, read by `cargo xtask codegen`.
pub(crate) const RESOURCES_JSON: &str = "xtask/vendor/cfn/resources.json";
const SOURCES_MD: &str = "xtask/vendor/cfn/SOURCES.md";
const SOURCES_JSON: &str = "xtask/vendor/cfn/sources.json";
/// The cfn-lint version the tests install and run.
const CFN_LINT_PIN: &str = "tests/cfn-lint-version.txt";

/// Version of the layout of `resources.json`.
pub(crate) const FORMAT: u64 = 1;

/// Command-line options.
pub(crate) struct Options {
    pub(crate) spec_version: String,
    pub(crate) cfn_lint_version: String,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            spec_version: SPEC_VERSION.to_owned(),
            cfn_lint_version: CFN_LINT_VERSION.to_owned(),
        }
    }
}

/// Runs the command.
pub(crate) fn run(options: &Options) -> Result<()> {
    let root = workspace_root();
    let tmp = crate::util::TempDir::new("cfn-schema")?;

    note(&format!("npm pack {SPEC_PACKAGE}@{}", options.spec_version));
    let spec = npm_pack(tmp.path(), SPEC_PACKAGE, &options.spec_version)?;
    note(&format!(
        "pip download {CFN_LINT_PACKAGE}=={}",
        options.cfn_lint_version
    ));
    let lint = pip_download(tmp.path(), CFN_LINT_PACKAGE, &options.cfn_lint_version)?;

    check_recorded_digest(&root, "npm", &options.spec_version, &spec)?;
    check_recorded_digest(&root, "pypi", &options.cfn_lint_version, &lint)?;

    // CDK database.
    let files = untar(&gunzip(&spec.bytes)?)?;
    let package_json: Value = serde_json::from_slice(
        files
            .get("package/package.json")
            .context("no package.json in the npm tarball")?,
    )?;
    ensure!(
        package_json["version"] == options.spec_version.as_str(),
        "npm returned {SPEC_PACKAGE} {} instead of {}",
        package_json["version"],
        options.spec_version
    );
    let spec_license = package_json["license"].as_str().unwrap_or("?").to_owned();
    let db: Value = serde_json::from_slice(&gunzip(
        files
            .get("package/db.json.gz")
            .context("no db.json.gz in the npm tarball")?,
    )?)
    .context("parsing db.json")?;

    // cfn-lint schemas.
    let zip = Zip::new(&lint.bytes)?;
    let schemas = Schemas::load(&zip)?;
    let lint_license = wheel_license(&zip, &options.cfn_lint_version);

    let mut stats = Stats::default();
    let resources = reduce(&db, &schemas, &mut stats)?;
    let text = render_resources(&resources);

    let date = today_utc();
    let sources = SourcesInfo {
        spec: &spec,
        spec_version: &options.spec_version,
        spec_license: &spec_license,
        lint: &lint,
        lint_version: &options.cfn_lint_version,
        lint_license: &lint_license,
        schema_date: &schemas.schema_date,
        date: &date,
        stats: &stats,
        resources_bytes: text.len(),
    };
    for (path, bytes) in [
        (RESOURCES_JSON, text.into_bytes()),
        (SOURCES_JSON, sources.json().into_bytes()),
        (SOURCES_MD, sources.markdown().into_bytes()),
        (
            CFN_LINT_PIN,
            format!("{}\n", options.cfn_lint_version).into_bytes(),
        ),
    ] {
        if write_if_changed(&root.join(path), &bytes)? {
            note(&format!("wrote {path}"));
        }
    }
    note(&format!(
        "{} resource types, {} nested types, {} properties with enum values",
        stats.resources, stats.types, stats.constraints.enums
    ));
    note("now run `cargo xtask codegen`");
    Ok(())
}

/// Refuses a download of the version `sources.json` records whose sha256 differs from
/// the recorded one (a re-vendoring of the same pins must read the same bytes).
fn check_recorded_digest(
    root: &Path,
    registry: &str,
    version: &str,
    download: &download::Download,
) -> Result<()> {
    let Ok(text) = read_text(&root.join(SOURCES_JSON)) else {
        return Ok(());
    };
    let recorded: Value = serde_json::from_str(&text).context("parsing sources.json")?;
    let Some(package) = recorded["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["registry"] == registry && p["version"] == version)
    else {
        return Ok(());
    };
    let name = package["name"].as_str().unwrap_or(registry);
    let got = download.sha256_hex();
    ensure!(
        package["sha256"] == got.as_str(),
        "{name} {version}: downloaded sha256 {got}, {SOURCES_JSON} records {}",
        package["sha256"]
    );
    note(&format!("{name} {version}: sha256 matches {SOURCES_JSON}"));
    Ok(())
}

/// Reads and parses `resources.json`.
pub(crate) fn load_resources(root: &Path) -> Result<Value> {
    let text = read_text(&root.join(RESOURCES_JSON))?;
    let v: Value = serde_json::from_str(&text).context("parsing resources.json")?;
    ensure!(
        v["format"] == FORMAT,
        "{RESOURCES_JSON} has format {}, this xtask reads {FORMAT}: run `cargo xtask vendor-schema`",
        v["format"]
    );
    Ok(v)
}
