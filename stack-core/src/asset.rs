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

/// The operating system and CPU an image asset is built for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// 64-bit x86 Linux: Lambda's and Fargate's default.
    LinuxAmd64,
    /// 64-bit ARM Linux (Graviton).
    LinuxArm64,
}

impl Platform {
    /// The name `docker build --platform` takes.
    pub const fn as_docker(self) -> &'static str {
        match self {
            Platform::LinuxAmd64 => "linux/amd64",
            Platform::LinuxArm64 => "linux/arm64",
        }
    }
}

/// A local directory, identified by the hash of its contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asset {
    /// What the directory becomes.
    pub kind: AssetKind,
    /// The directory.
    pub source: PathBuf,
    /// Hex SHA-256 of the directory's relative paths and contents, and of the platform
    /// for an image built for one.
    pub hash: String,
    /// The platform an image asset is built for; `None` for file assets.
    pub platform: Option<Platform>,
}

/// The ECR repository, created by `bootstrap`, that image assets are pushed to.
pub const CONTAINER_ASSET_REPOSITORY: &str = "stack-container-assets";

/// The S3 bucket, created by `bootstrap`, that file assets are uploaded to, as an
/// `Fn::Sub` string: one bucket per account and region.
pub const FILE_ASSET_BUCKET: &str = "stack-assets-${AWS::AccountId}-${AWS::Region}";

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
        Ok(Self {
            kind,
            source,
            hash: hex(&hasher.finalize()),
            platform: None,
        })
    }

    /// This image asset, built for `platform`. The platform is part of the hash, so the
    /// same directory built for two platforms is two images.
    #[must_use]
    pub fn for_platform(mut self, platform: Platform) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(self.hash.as_bytes());
        hasher.update([0]);
        hasher.update(platform.as_docker().as_bytes());
        self.hash = hex(&hasher.finalize());
        self.platform = Some(platform);
        self
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
