//! Where a function's code comes from, and what it runs on.

use super::*;

/// A Lambda runtime for zip-packaged code. Only runtimes that Lambda still supports for
/// new functions are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// `nodejs22.x`.
    Nodejs22x,
    /// `nodejs24.x`.
    Nodejs24x,
    /// `python3.11`.
    Python311,
    /// `python3.12`.
    Python312,
    /// `python3.13`.
    Python313,
    /// `python3.14`.
    Python314,
    /// `java11`.
    Java11,
    /// `java17`.
    Java17,
    /// `java21`.
    Java21,
    /// `java25`.
    Java25,
    /// `dotnet10`.
    Dotnet10,
    /// `ruby3.3`.
    Ruby33,
    /// `ruby3.4`.
    Ruby34,
    /// `ruby4.0`.
    Ruby40,
    /// `provided.al2023`: a custom runtime, such as a Rust `bootstrap` binary.
    ProvidedAl2023,
}

impl Runtime {
    /// The runtime identifier Lambda uses.
    pub const fn as_str(self) -> &'static str {
        match self {
            Runtime::Nodejs22x => "nodejs22.x",
            Runtime::Nodejs24x => "nodejs24.x",
            Runtime::Python311 => "python3.11",
            Runtime::Python312 => "python3.12",
            Runtime::Python313 => "python3.13",
            Runtime::Python314 => "python3.14",
            Runtime::Java11 => "java11",
            Runtime::Java17 => "java17",
            Runtime::Java21 => "java21",
            Runtime::Java25 => "java25",
            Runtime::Dotnet10 => "dotnet10",
            Runtime::Ruby33 => "ruby3.3",
            Runtime::Ruby34 => "ruby3.4",
            Runtime::Ruby40 => "ruby4.0",
            Runtime::ProvidedAl2023 => "provided.al2023",
        }
    }

    /// Whether Lambda accepts inline (`ZipFile`) source for this runtime.
    pub(super) const fn supports_inline(self) -> bool {
        matches!(
            self,
            Runtime::Nodejs22x
                | Runtime::Nodejs24x
                | Runtime::Python311
                | Runtime::Python312
                | Runtime::Python313
                | Runtime::Python314
        )
    }
}

/// The instruction set a function runs on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Architecture {
    /// 64-bit ARM (Graviton): usually cheaper per millisecond.
    Arm64,
    /// 64-bit x86, Lambda's default.
    #[default]
    X86_64,
}

impl Architecture {
    /// The identifier Lambda uses.
    pub const fn as_str(self) -> &'static str {
        match self {
            Architecture::Arm64 => "arm64",
            Architecture::X86_64 => "x86_64",
        }
    }

    /// The platform an image asset for this instruction set is built for.
    pub const fn platform(self) -> Platform {
        match self {
            Architecture::Arm64 => Platform::LinuxArm64,
            Architecture::X86_64 => Platform::LinuxAmd64,
        }
    }
}

/// Where a [`Function`]'s zip code comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Code {
    pub(super) source: CodeSource,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum CodeSource {
    Asset(PathBuf),
    Inline(String),
    /// A binary crate of the workspace: its package name or directory.
    Rust(String),
}

impl Code {
    /// A local directory, zipped and uploaded as a file asset. A relative path resolves
    /// against the crate that declares the stack.
    pub fn asset(dir: impl Into<PathBuf>) -> Self {
        Self {
            source: CodeSource::Asset(dir.into()),
        }
    }

    /// Source code inlined in the template (`ZipFile`, at most 4096 characters), for
    /// Python and Node.js runtimes; the handler module is `index`.
    pub fn inline(source: impl Into<String>) -> Self {
        Self {
            source: CodeSource::Inline(source.into()),
        }
    }

    /// A binary crate of the workspace, for `runtime: Runtime::ProvidedAl2023`: `crate` is
    /// a package name of the workspace that declares the stack (or its directory, relative
    /// to the crate that declares the stack). When the stack is built, cargo builds it in
    /// release mode for the function's `architecture` into `<workspace target>/lambda`,
    /// and the binary becomes the `bootstrap` (mode 0755) of the function's zip; cargo's
    /// freshness check makes this free when the sources did not change.
    ///
    /// x86_64 builds with plain cargo on an x86_64 Linux machine; with `cargo-zigbuild` on
    /// `PATH` every architecture builds, linked against al2023's glibc 2.34. What is
    /// missing to build for an architecture, or a build failure, is a synth error.
    pub fn rust(krate: impl Into<String>) -> Self {
        Self {
            source: CodeSource::Rust(krate.into()),
        }
    }
}

/// Where a [`DockerImageFunction`]'s image comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct DockerImageCode {
    pub(super) source: ImageSource,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum ImageSource {
    Asset(PathBuf),
    Uri(Value<String>),
}

impl DockerImageCode {
    /// A local directory with a `Dockerfile`, built and pushed to the staging repository.
    /// A relative path resolves against the crate that declares the stack.
    pub fn from_asset(dir: impl Into<PathBuf>) -> Self {
        Self {
            source: ImageSource::Asset(dir.into()),
        }
    }

    /// An image already in ECR, by URI (`<account>.dkr.ecr.<region>.amazonaws.com/repo:tag`).
    pub fn from_uri(uri: impl IntoValue<String>) -> Self {
        Self {
            source: ImageSource::Uri(uri.into_value()),
        }
    }
}
