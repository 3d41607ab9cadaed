//! The files `synth` writes besides templates: per-stack assets manifests and
//! `manifest.json`. Their shapes are documented in the crate docs of `stack-deploy`.

use serde_json::{json, Map, Value as Json};
use stack_core::asset::{Asset, AssetKind, CONTAINER_ASSET_REPOSITORY, FILE_ASSET_BUCKET};

/// Version of the `manifest.json` and `*.assets.json` formats; bumped on any change that
/// breaks readers.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// Name of the manifest in the output directory.
pub(crate) const MANIFEST_FILE: &str = "manifest.json";

/// `<Stack>.template.json`.
pub(crate) fn template_file(stack: &str) -> String {
    format!("{stack}.template.json")
}

/// `<Stack>.assets.json`.
pub(crate) fn assets_file(stack: &str) -> String {
    format!("{stack}.assets.json")
}

/// What `manifest.json` says about one stack.
pub(crate) struct ManifestEntry<'a> {
    pub(crate) name: &'a str,
    /// Stacks this one imports from; they deploy first.
    pub(crate) dependencies: &'a [String],
    pub(crate) has_assets: bool,
    pub(crate) tags: &'a [(String, String)],
}

/// The assets manifest of one stack.
pub(crate) fn assets_json(stack: &str, assets: &[Asset]) -> String {
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
pub(crate) fn manifest_json(app: &str, stacks: &[ManifestEntry<'_>]) -> String {
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
