//! Higher-level constructs: one declaration that expands into several resources with
//! secure, working defaults.
//!
//! Every construct follows the same protocol, which is what `stack!` expands to:
//!
//! ```
//! use stack_core::constructs::prelude::*;
//! use stack_core::StackBuilder;
//!
//! let mut stack = StackBuilder::new("Photos");
//! let bucket = Bucket::declare("Photos");
//! Construct::build(&bucket, BucketProps::default().versioned(true), &mut stack);
//! let template = stack.finish().map(|s| s.template);
//! assert!(template.is_ok());
//! ```
//!
//! Handles are cheap (a logical ID), so declarations can refer to each other in any order;
//! attributes such as [`Bucket::arn`] are typed deploy-time values.

mod agreement;
pub(crate) mod construct;

// One module per service, each re-exported here; `build.rs` lists them.
include!(concat!(env!("OUT_DIR"), "/constructs.rs"));

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::asset::{Asset, AssetKind, Platform, CONTAINER_ASSET_REPOSITORY};
use crate::aws;
use crate::expr::Expr;
use crate::iam::Principal;
use crate::stack::StackBuilder;
use crate::value::{IntoValue, ToExpr, Value};

pub use construct::{Construct, ConstructProps, ConstructType, RequiredOption};
/// Derives [`ConstructProps`] and one setter per field for a construct's props struct:
/// `#[option(required)]` marks an option a block must set, `#[option(custom_setter)]`
/// one whose setter is written by hand.
pub use stack_macros::ConstructProps;

/// The constructs and their option types, for `use stack_core::prelude::*`.
pub mod prelude {
    pub use super::{Construct, ConstructProps, Duration, HttpMethod, StringMap};
    include!(concat!(env!("OUT_DIR"), "/prelude.rs"));
}

/// An ordered string-to-string map, written `{ KEY: value, ... }` in a construct body
/// (Lambda environment variables, for instance).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StringMap {
    entries: Vec<(String, Value<String>)>,
}

impl StringMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `key`; a key given twice keeps its first position and its last value.
    #[must_use]
    pub fn entry(mut self, key: &str, value: impl IntoValue<String>) -> Self {
        let value = value.into_value();
        match self.entries.iter_mut().find(|(k, _)| k == key) {
            Some((_, slot)) => *slot = value,
            None => self.entries.push((key.to_owned(), value)),
        }
        self
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value<String>)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl StringMap {
    /// The entries as the generated structs take a string map (sorted by key).
    fn to_l1(&self) -> BTreeMap<String, Value<String>> {
        self.entries.iter().cloned().collect()
    }
}

impl ToExpr for StringMap {
    fn to_expr(&self) -> Expr {
        Expr::Map(
            self.entries
                .iter()
                .map(|(k, v)| (k.clone(), v.to_expr()))
                .collect(),
        )
    }
}

/// A span of time: `Duration::seconds(30)`, `Duration::minutes(5)`, `Duration::days(7)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration {
    seconds: u64,
}

impl Duration {
    /// `n` seconds.
    pub const fn seconds(n: u64) -> Self {
        Self { seconds: n }
    }

    /// `n` minutes.
    pub const fn minutes(n: u64) -> Self {
        Self::seconds(n.saturating_mul(60))
    }

    /// `n` hours.
    pub const fn hours(n: u64) -> Self {
        Self::seconds(n.saturating_mul(3600))
    }

    /// `n` days.
    pub const fn days(n: u64) -> Self {
        Self::seconds(n.saturating_mul(86_400))
    }

    /// The length in whole seconds.
    pub const fn as_seconds(self) -> u64 {
        self.seconds
    }

    /// The length in whole days, when it is a whole number of days.
    pub const fn as_whole_days(self) -> Option<u64> {
        if self.seconds.is_multiple_of(86_400) {
            Some(self.seconds / 86_400)
        } else {
            None
        }
    }

    fn as_i64(self) -> i64 {
        i64::try_from(self.seconds).unwrap_or(i64::MAX)
    }
}

/// An HTTP method, for S3 CORS rules, API Gateway routes and CORS preflight options.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    /// `ANY`: every method (API Gateway only; S3 CORS rules do not accept it).
    Any,
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `HEAD`.
    Head,
    /// `PATCH` (API Gateway only; S3 CORS rules do not accept it).
    Patch,
    /// `OPTIONS` (API Gateway only; S3 CORS rules do not accept it).
    Options,
}

impl HttpMethod {
    /// The method's name, upper case.
    pub const fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Any => "ANY",
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Options => "OPTIONS",
        }
    }
}

#[diagnostic::do_not_recommend]
impl IntoValue<String> for HttpMethod {
    fn into_value(self) -> Value<String> {
        Value::lit(self.as_str())
    }
}

/// A `Principal` that is a role of this stack, known by logical ID.
struct RoleRef(String);

impl Principal for RoleRef {
    fn role_logical_id(&self) -> &str {
        &self.0
    }
}

/// Hashes and records an asset directory, resolved against the stack's base directory
/// and built for `platform` when it is an image; reports a missing or unreadable one as a
/// problem of `owner` (e.g. "function `Api`"). Returns the hash.
fn register_asset(
    stack: &mut StackBuilder,
    kind: AssetKind,
    dir: &Path,
    platform: Option<Platform>,
    owner: &str,
) -> String {
    let path = stack.base_dir().join(dir);
    match Asset::from_dir(kind, path) {
        Ok(asset) => {
            let asset = match platform {
                Some(platform) => asset.for_platform(platform),
                None => asset,
            };
            let hash = asset.hash.clone();
            stack.add_asset(asset);
            hash
        }
        Err(problem) => {
            stack.report(format!("{owner}: {problem}"));
            String::new()
        }
    }
}

/// Where the image asset with this hash is pushed: the staging repository, tagged with
/// the hash.
fn image_asset_uri(hash: &str) -> Expr {
    Expr::Sub(format!(
        "${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/{CONTAINER_ASSET_REPOSITORY}:{hash}"
    ))
}

/// An `AWS::IAM::Role` that Lambda can assume, with the basic execution managed policy.
///
/// Its trust policy has no `aws:SourceAccount` or `aws:SourceArn` condition: Lambda does not
/// send those keys when it assumes a function's execution role, and IAM treats a missing
/// key as a mismatch, so such a condition would leave the function unable to run. Only
/// the functions whose configuration names the role can have Lambda assume it, and that
/// takes `iam:PassRole` on the role.
fn lambda_execution_role() -> aws::iam::Role {
    let principals = Principals::default().services(["lambda.amazonaws.com"]);
    aws::iam::Role {
        assume_role_policy_document: Some(Value::from_expr(principals.trust_policy())),
        managed_policy_arns: Some(Value::list([Value::sub(
            "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        )])),
        ..Default::default()
    }
}

/// An object literal from `(key, value)` pairs, in order.
fn obj<const N: usize>(entries: [(&str, Expr); N]) -> Expr {
    Expr::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

/// A string literal expression.
fn lit(s: &str) -> Expr {
    Expr::Str(s.to_owned())
}

/// The first `len` upper-case hex digits of the SHA-256 of `input`: deterministic.
fn short_hash(input: &str, len: usize) -> String {
    Sha256::digest(input.as_bytes())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<String>()
        .chars()
        .take(len)
        .collect()
}

/// The literal string of a value, when it is known at synth time.
fn literal_str<T>(value: &Value<T>) -> Option<&str> {
    match value.expr() {
        Expr::Str(s) => Some(s),
        _ => None,
    }
}

/// The literal integer of a value, when it is known at synth time.
fn literal_int(value: &Value<i64>) -> Option<i64> {
    match value.expr() {
        Expr::Int(i) => Some(*i),
        _ => None,
    }
}

/// The grants the catalog lists for the construct called `name`, for tests that use them
/// all.
#[cfg(test)]
fn catalog_grants(name: &str) -> &'static [&'static str] {
    stack_spec::catalog::construct(name).map_or(&[], |c| c.grants)
}

#[cfg(test)]
mod tests {
    // Shared construct helpers, and the constructs wired together as PhotoSky uses them.
    use super::*;

    #[test]
    fn string_map_keeps_order_and_replaces_duplicates() {
        let map = StringMap::new()
            .entry("B", "1")
            .entry("A", "2")
            .entry("B", "3");
        assert_eq!(
            map.to_expr().to_json(),
            serde_json::json!({"B": "3", "A": "2"})
        );
        assert_eq!(map.len(), 2);
    }

    #[test]
    fn durations_convert() {
        assert_eq!(Duration::minutes(5).as_seconds(), 300);
        assert_eq!(Duration::days(2).as_whole_days(), Some(2));
        assert_eq!(Duration::hours(5).as_whole_days(), None);
    }

    /// The PhotoSky shape: a container function behind a proxy API, with a CORS bucket it
    /// reads and writes, emptied on deletion.
    fn photosky() -> crate::stack::Synthesized {
        let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../apps/photosky");
        let mut stack = StackBuilder::new("PhotoSky").with_base_dir(base);
        let func = DockerImageFunction::declare("PhotosFunc");
        let api = LambdaRestApi::declare("Api");
        let bucket = Bucket::declare("Photos");
        func.build(
            DockerImageFunctionProps::default()
                .function_name("PhotoSky")
                .environment(StringMap::new().entry("BUCKET_NAME", bucket.name()))
                .code(DockerImageCode::from_asset("lambda"))
                .timeout(Duration::seconds(300)),
            &mut stack,
        );
        api.build(
            LambdaRestApiProps::default()
                .handler(&func)
                .proxy(true)
                .default_cors_preflight(
                    CorsOptions::default()
                        .allow_origins(["*"])
                        .allow_methods(Cors::ALL_METHODS)
                        .allow_headers(["*"]),
                ),
            &mut stack,
        );
        bucket.build(
            BucketProps::default()
                .bucket_name("photosky-example-bucket")
                .cors([CorsRule::default()
                    .allowed_methods([
                        HttpMethod::Get,
                        HttpMethod::Post,
                        HttpMethod::Put,
                        HttpMethod::Delete,
                    ])
                    .allowed_origins(["*"])
                    .allowed_headers(["*"])
                    .exposed_headers(["ETag"])
                    .max_age(3000)])
                .removal_policy(crate::RemovalPolicy::Destroy)
                .auto_delete_objects(true),
            &mut stack,
        );
        stack.grant(&func, bucket.grant_read_write());
        match stack.finish() {
            Ok(synthesized) => synthesized,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn photosky_wires_function_api_and_bucket() {
        let synthesized = photosky();
        assert_eq!(synthesized.assets.len(), 1);
        let template = synthesized.template.to_json();
        let r = &template["Resources"];
        let ids: Vec<&str> = r
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        for id in [
            "PhotosFuncServiceRole",
            "PhotosFuncLogGroup",
            "PhotosFunc",
            "Api",
            "ApiRootAny",
            "ApiRootOptions",
            "ApiProxy",
            "ApiProxyAny",
            "ApiProxyOptions",
            "ApiStage",
            "ApiInvokePermission",
            "Photos",
            "PhotosPolicy",
            "PhotosAutoDeleteObjects",
            "StackAutoDeleteObjectsRole",
            "StackAutoDeleteObjectsLogGroup",
            "StackAutoDeleteObjectsHandler",
        ] {
            assert!(ids.contains(&id), "missing {id} in {ids:?}");
        }
        assert_eq!(ids.len(), 18, "{ids:?}");
        assert_eq!(
            r["PhotosFunc"]["Properties"]["Environment"]["Variables"]["BUCKET_NAME"],
            serde_json::json!({"Ref": "Photos"})
        );
        let grants =
            &r["PhotosFuncServiceRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
        assert_eq!(
            grants[0]["Resource"],
            serde_json::json!({"Fn::GetAtt": ["Photos", "Arn"]})
        );
        assert_eq!(
            grants[1]["Resource"],
            serde_json::json!({"Fn::Sub": "${Photos.Arn}/*"})
        );
        assert!(!template.to_string().contains("aws:cdk"));
    }

    #[test]
    fn short_hash_is_stable() {
        assert_eq!(short_hash("abc", 8), "BA7816BF");
    }
}
