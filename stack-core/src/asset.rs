//! Assets: local directories that a template refers to by content hash.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// What kind of artifact an asset becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssetKind {
    /// A directory with a `Dockerfile`, built and pushed to the staging repository.
    DockerImage,
    /// A directory zipped and uploaded to the staging bucket.
    FileArchive,
}

/// A local directory, identified by the hash of its contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asset {
    /// What the directory becomes.
    pub kind: AssetKind,
    /// The directory.
    pub source: PathBuf,
    /// Hex SHA-256 of the directory's relative paths and contents.
    pub hash: String,
}

/// The ECR repository, created by `bootstrap`, that image assets are pushed to.
pub const CONTAINER_ASSET_REPOSITORY: &str = "stack-container-assets";

impl Asset {
    /// Hashes `source` and describes it as an asset of `kind`.
    ///
    /// The hash covers relative paths and file contents only, so it is the same on every
    /// machine and for every checkout time.
    pub fn from_dir(kind: AssetKind, source: impl Into<PathBuf>) -> Result<Self, String> {
        let source = source.into();
        let mut files = Vec::new();
        collect_files(&source, &source, &mut files)
            .map_err(|e| format!("cannot read asset directory `{}`: {e}", source.display()))?;
        if kind == AssetKind::DockerImage && !source.join("Dockerfile").is_file() {
            return Err(format!(
                "image asset `{}` has no `Dockerfile`; add one or point the asset at the directory that holds it",
                source.display()
            ));
        }
        files.sort();
        let mut hasher = Sha256::new();
        for relative in &files {
            let contents = fs::read(source.join(relative))
                .map_err(|e| format!("cannot read `{}`: {e}", source.join(relative).display()))?;
            hasher.update(relative.as_bytes());
            hasher.update([0]);
            hasher.update((contents.len() as u64).to_le_bytes());
            hasher.update(&contents);
        }
        let hash = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Self { kind, source, hash })
    }
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect_files(root, &path, out)?;
        } else {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            out.push(
                relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
    Ok(())
}
