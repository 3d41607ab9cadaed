//! The cloud assembly: what `synth` writes (templates, per-stack assets manifests and
//! `manifest.json`, shapes in the crate docs) and what `stack-deploy` reads back.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value as Json};
use stack_core::asset::{
    Asset, AssetKind, Platform, CONTAINER_ASSET_REPOSITORY, FILE_ASSET_BUCKET,
};
use stack_core::Env;

use crate::error::CliError;
use crate::select::StackEntry;

/// Version of the `manifest.json` and `*.assets.json` formats; bumped on any change that
/// breaks readers.
pub const FORMAT_VERSION: u32 = 1;

/// Name of the manifest in the output directory.
pub const MANIFEST_FILE: &str = "manifest.json";

/// `<Stack>.template.json`.
pub fn template_file(stack: &str) -> String {
    format!("{stack}.template.json")
}

/// `<Stack>.assets.json`.
pub fn assets_file(stack: &str) -> String {
    format!("{stack}.assets.json")
}

/// What `manifest.json` says about one stack.
pub struct ManifestEntry<'a> {
    /// The stack's name.
    pub name: &'a str,
    /// Stacks this one imports from; they deploy first.
    pub dependencies: &'a [String],
    /// Whether `<Stack>.assets.json` was written.
    pub has_assets: bool,
    /// Tags for the stack and its resources.
    pub tags: &'a [(String, String)],
    /// `(old logical ID, new logical ID)` of resources declared under another name before.
    pub renames: &'a [(String, String)],
    /// The account and region the stack is pinned to.
    pub env: &'a Env,
}

/// The assets manifest of one stack.
pub fn assets_json(stack: &str, assets: &[Asset]) -> String {
    let assets: Vec<Json> = assets.iter().map(asset_json).collect();
    pretty(&json!({
        "version": FORMAT_VERSION,
        "stack": stack,
        "assets": assets,
    }))
}

fn asset_json(asset: &Asset) -> Json {
    let (kind, destination) = match asset.kind {
        AssetKind::DockerImage => (
            "docker-image",
            json!({ "repository": CONTAINER_ASSET_REPOSITORY, "tag": asset.hash }),
        ),
        AssetKind::FileArchive => (
            "file-archive",
            json!({ "bucket": FILE_ASSET_BUCKET, "key": format!("{}.zip", asset.hash) }),
        ),
    };
    let mut entry = json!({
        "kind": kind,
        "source": asset.source.to_string_lossy(),
        "hash": asset.hash,
        "destination": destination,
    });
    if let Some(platform) = asset.platform {
        entry["platform"] = platform.as_docker().into();
    }
    entry
}

/// `manifest.json`: the stacks this run wrote, with file names relative to the manifest.
pub fn manifest_json(app: &str, stacks: &[ManifestEntry<'_>]) -> String {
    let stacks: Vec<Json> = stacks
        .iter()
        .map(|stack| {
            let mut entry = Map::new();
            entry.insert("name".into(), stack.name.into());
            entry.insert("template".into(), template_file(stack.name).into());
            entry.insert("dependencies".into(), stack.dependencies.into());
            if stack.has_assets {
                entry.insert("assets".into(), assets_file(stack.name).into());
            }
            let tags: Map<String, Json> = stack
                .tags
                .iter()
                .map(|(k, v)| (k.clone(), Json::String(v.clone())))
                .collect();
            entry.insert("tags".into(), Json::Object(tags));
            if !stack.renames.is_empty() {
                let renames: Map<String, Json> = stack
                    .renames
                    .iter()
                    .map(|(old, new)| (old.clone(), Json::String(new.clone())))
                    .collect();
                entry.insert("renames".into(), Json::Object(renames));
            }
            if stack.env.is_pinned() {
                let mut env = Map::new();
                if let Some(account) = &stack.env.account {
                    env.insert("account".into(), account.as_str().into());
                }
                if let Some(region) = &stack.env.region {
                    env.insert("region".into(), region.as_str().into());
                }
                entry.insert("env".into(), Json::Object(env));
            }
            Json::Object(entry)
        })
        .collect();
    pretty(&json!({
        "version": FORMAT_VERSION,
        "app": app,
        "stacks": stacks,
    }))
}

/// Two-space indented JSON with a trailing newline, like `Template::to_json_string`.
fn pretty(value: &Json) -> String {
    format!("{value:#}\n")
}

/// A cloud assembly read back from its directory: every stack `synth` wrote.
#[derive(Clone, Debug)]
pub struct Assembly {
    /// The app that wrote it.
    pub app: String,
    /// The stacks, in app order.
    pub stacks: Vec<AssemblyStack>,
}

/// One stack of an [`Assembly`].
#[derive(Clone, Debug)]
pub struct AssemblyStack {
    /// The CloudFormation stack name.
    pub name: String,
    /// The template, exactly as written.
    pub body: String,
    /// The template, parsed.
    pub template: Json,
    /// The directories the template refers to by hash.
    pub assets: Vec<Asset>,
    /// Tags for the stack and its resources.
    pub tags: Vec<(String, String)>,
    /// The stacks this one imports from.
    pub dependencies: Vec<String>,
    /// `(old logical ID, new logical ID)` of resources declared under another name
    /// before; empty when the manifest has no `renames`.
    pub renames: Vec<(String, String)>,
    /// The account and region the stack is pinned to; both `None` when the manifest has
    /// no `env` (an environment-agnostic stack).
    pub env: Env,
}

impl StackEntry for &AssemblyStack {
    fn name(&self) -> &str {
        &self.name
    }

    fn dependencies(&self) -> &[String] {
        &self.dependencies
    }
}

impl Assembly {
    /// Reads the assembly in `dir`; `shown` is the directory as the user wrote it, for
    /// messages. Every problem names the file and what is wrong with it.
    pub fn read(dir: &Path, shown: &Path) -> Result<Self, CliError> {
        let manifest = read_json(dir, shown, MANIFEST_FILE)?;
        let problem = |what: &str| {
            CliError::new(format!(
                "`{}` is not a manifest this version can read: {what}; synthesize the app again",
                shown.join(MANIFEST_FILE).display()
            ))
        };
        match manifest.get("version").and_then(Json::as_u64) {
            Some(version) if version == u64::from(FORMAT_VERSION) => {}
            Some(version) => {
                return Err(problem(&format!(
                    "format version {version}, expected {FORMAT_VERSION}"
                )))
            }
            None => return Err(problem("no `version`")),
        }
        let app = manifest
            .get("app")
            .and_then(Json::as_str)
            .ok_or_else(|| problem("no `app`"))?
            .to_owned();
        let entries = manifest
            .get("stacks")
            .and_then(Json::as_array)
            .ok_or_else(|| problem("no `stacks` list"))?;
        let mut stacks = Vec::new();
        for entry in entries {
            stacks.push(read_stack(dir, shown, entry).map_err(|what| problem(&what))?);
        }
        Ok(Self { app, stacks })
    }
}

fn read_stack(dir: &Path, shown: &Path, entry: &Json) -> Result<AssemblyStack, String> {
    let text = |key: &str| {
        entry
            .get(key)
            .and_then(Json::as_str)
            .ok_or_else(|| format!("a stack without `{key}`"))
    };
    let name = text("name")?.to_owned();
    let template_file = text("template")?;
    let body = fs::read_to_string(dir.join(template_file))
        .map_err(|e| format!("cannot read `{}`: {e}", shown.join(template_file).display()))?;
    let template = serde_json::from_str(&body)
        .map_err(|e| format!("`{}` is not JSON: {e}", shown.join(template_file).display()))?;
    let strings = |value: Option<&Json>| -> Vec<String> {
        value
            .and_then(Json::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(Json::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let pairs = |key: &str| -> Vec<(String, String)> {
        entry
            .get(key)
            .and_then(Json::as_object)
            .map(|map| {
                map.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default()
    };
    let tags = pairs("tags");
    let env = entry.get("env");
    let env_value = |key: &str| -> Result<Option<String>, String> {
        match env.and_then(|e| e.get(key)) {
            None => Ok(None),
            Some(Json::String(value)) => Ok(Some(value.clone())),
            Some(_) => Err(format!(
                "stack `{name}` has an `env.{key}` that is no string"
            )),
        }
    };
    let env = Env {
        account: env_value("account")?,
        region: env_value("region")?,
        cross_region_references: false,
    };
    let renames = pairs("renames");
    let assets = match entry.get("assets").and_then(Json::as_str) {
        Some(file) => {
            let manifest =
                read_json(dir, shown, file).map_err(|e| e.message.unwrap_or_default())?;
            manifest
                .get("assets")
                .and_then(Json::as_array)
                .ok_or_else(|| format!("`{}` has no `assets` list", shown.join(file).display()))?
                .iter()
                .map(|asset| {
                    read_asset(asset)
                        .map_err(|what| format!("`{}`: {what}", shown.join(file).display()))
                })
                .collect::<Result<_, _>>()?
        }
        None => Vec::new(),
    };
    Ok(AssemblyStack {
        name,
        body,
        template,
        assets,
        tags,
        dependencies: strings(entry.get("dependencies")),
        renames,
        env,
    })
}

fn read_asset(asset: &Json) -> Result<Asset, String> {
    let text = |key: &str| {
        asset
            .get(key)
            .and_then(Json::as_str)
            .ok_or_else(|| format!("an asset without `{key}`"))
    };
    let kind = match text("kind")? {
        "docker-image" => AssetKind::DockerImage,
        "file-archive" => AssetKind::FileArchive,
        other => return Err(format!("unknown asset kind `{other}`")),
    };
    let platform = match asset.get("platform").and_then(Json::as_str) {
        None => None,
        Some(name) => Some(
            [Platform::LinuxAmd64, Platform::LinuxArm64]
                .into_iter()
                .find(|p| p.as_docker() == name)
                .ok_or_else(|| format!("unknown platform `{name}`"))?,
        ),
    };
    Ok(Asset {
        kind,
        source: PathBuf::from(text("source")?),
        hash: text("hash")?.to_owned(),
        platform,
    })
}

fn read_json(dir: &Path, shown: &Path, file: &str) -> Result<Json, CliError> {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).map_err(|e| {
        CliError::new(if e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "no cloud assembly at `{}` (`{file}` is missing); synthesize the app first",
                shown.display()
            )
        } else {
            format!("cannot read `{}`: {e}", shown.join(file).display())
        })
    })?;
    serde_json::from_str(&text).map_err(|e| {
        CliError::new(format!(
            "`{}` is not JSON: {e}; synthesize the app again",
            shown.join(file).display()
        ))
    })
}
