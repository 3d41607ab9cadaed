//! Lambda functions: [`Function`] (zip code) and [`DockerImageFunction`] (container image).
//!
//! Each function gets an execution role `<Id>ServiceRole` (or runs as a role of the stack
//! given with `role`) and an explicit log group `<Id>LogGroup` with a retention, wired
//! through `LoggingConfig`.

use std::cell::OnceCell;
use std::path::PathBuf;

use stack_spec::rules;

use super::{
    image_asset_uri, lambda_execution_role, lit, literal_int, literal_str, obj, register_asset,
    Construct, Duration, IamRoleRef, RoleRef, StringMap,
};
use crate::asset::{AssetKind, Platform, FILE_ASSET_BUCKET};
use crate::expr::Expr;
use crate::iam::{Grant, Principal, Statement};
use crate::kind;
use crate::resource::RemovalPolicy;
use crate::stack::StackBuilder;
use crate::template::ResourceDecl;
use crate::value::{Arn, Id, IntoValue, ToExpr, Value};

/// Log retention when none is set: one year. Long enough to investigate an incident or
/// answer an audit about last quarter, short enough that logs don't accumulate (and cost)
/// forever, which is CloudWatch's default.
pub(super) const DEFAULT_LOG_RETENTION_DAYS: i64 = 365;

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
    const fn supports_inline(self) -> bool {
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
    source: CodeSource,
}

#[derive(Clone, Debug, PartialEq)]
enum CodeSource {
    Asset(PathBuf),
    Inline(String),
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
}

/// Where a [`DockerImageFunction`]'s image comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct DockerImageCode {
    source: ImageSource,
}

#[derive(Clone, Debug, PartialEq)]
enum ImageSource {
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

/// Anything that names a Lambda function of this stack: what `handler:` options accept.
pub trait FunctionRef {
    /// The function's logical ID.
    fn function_logical_id(&self) -> &str;

    /// The function's ARN.
    fn function_arn(&self) -> Value<Arn<kind::lambda::Function>> {
        Value::get_att(self.function_logical_id(), "Arn")
    }
}

/// Options shared by both kinds of function.
#[derive(Clone, Debug, Default)]
struct CommonOptions {
    function_name: Option<Value<String>>,
    description: Option<Value<String>>,
    timeout: Option<Duration>,
    memory_size: Option<Value<i64>>,
    environment: StringMap,
    architecture: Option<Architecture>,
    initial_policy: Vec<Statement>,
    log_retention: Option<Duration>,
    /// `Some(None)`: the value given does not name a role of this stack.
    role: Option<Option<String>>,
}

/// Setters for [`CommonOptions`] on a props type with a `common` field.
macro_rules! common_setters {
    ($props:ty) => {
        impl $props {
            /// The function's physical name; CloudFormation generates one when unset.
            /// Setting it means a change that replaces the function fails until renamed.
            #[must_use]
            pub fn function_name(mut self, name: impl IntoValue<String>) -> Self {
                self.common.function_name = Some(name.into_value());
                self
            }

            /// A description shown in the console.
            #[must_use]
            pub fn description(mut self, description: impl IntoValue<String>) -> Self {
                self.common.description = Some(description.into_value());
                self
            }

            /// How long one invocation may run: Lambda's default is 3 seconds, the limit 15 minutes.
            #[must_use]
            pub fn timeout(mut self, timeout: Duration) -> Self {
                self.common.timeout = Some(timeout);
                self
            }

            /// Memory in MB (128 to 10240); CPU scales with it. Lambda's default is 128.
            #[must_use]
            pub fn memory_size(mut self, mb: impl IntoValue<i64>) -> Self {
                self.common.memory_size = Some(mb.into_value());
                self
            }

            /// Environment variables, written `{ KEY: value, ... }`.
            #[must_use]
            pub fn environment(mut self, environment: StringMap) -> Self {
                self.common.environment = environment;
                self
            }

            /// The instruction set; x86_64 when unset.
            #[must_use]
            pub fn architecture(mut self, architecture: Architecture) -> Self {
                self.common.architecture = Some(architecture);
                self
            }

            /// Extra statements for the execution role, beside the stack's `grant`s.
            #[must_use]
            pub fn initial_policy(
                mut self,
                statements: impl IntoIterator<Item = Statement>,
            ) -> Self {
                self.common.initial_policy.extend(statements);
                self
            }

            /// A role of this stack to run as (a `Role` or an `AWS::IAM::Role`), instead of
            /// an execution role of its own: no `<Id>ServiceRole` is created, and `grant`s to
            /// the function, its `initial_policy` and `role_arn` all go to that role. The
            /// role must trust `lambda.amazonaws.com` and allow writing to CloudWatch Logs
            /// (e.g. `service-role/AWSLambdaBasicExecutionRole`).
            #[must_use]
            pub fn role(mut self, role: impl IamRoleRef) -> Self {
                self.common.role = Some(role.iam_role_logical_id().map(str::to_owned));
                self
            }

            /// How long the function's log group keeps events; one year when unset.
            /// Must be a CloudWatch Logs period, e.g. `Duration::days(30)`.
            #[must_use]
            pub fn log_retention(mut self, retention: Duration) -> Self {
                self.common.log_retention = Some(retention);
                self
            }
        }
    };
}

/// The logical IDs a function construct owns, and the role it runs as.
#[derive(Clone, Debug, PartialEq, Eq)]
struct FunctionIds {
    function: String,
    /// The function's own execution role, `<Id>ServiceRole`.
    own_role: String,
    /// The stack's role given with `role`, set when the function is built. Grants are
    /// attached after every resource is built, and a resource that reads `role_arn` is
    /// built after the function it refers to, so both see the role the function runs as.
    shared_role: OnceCell<String>,
    log_group: String,
}

impl FunctionIds {
    fn new(logical_id: &str) -> Self {
        Self {
            function: logical_id.to_owned(),
            own_role: format!("{logical_id}ServiceRole"),
            shared_role: OnceCell::new(),
            log_group: format!("{logical_id}LogGroup"),
        }
    }

    /// The logical ID of the role the function runs as.
    fn role(&self) -> &str {
        self.shared_role.get().unwrap_or(&self.own_role)
    }

    /// These IDs seen from another stack: every ID, the shared role's too, under `prefix`.
    fn in_other_stack(&self, prefix: &str) -> Self {
        let ids = Self::new(&format!("{prefix}{}", self.function));
        if let Some(role) = self.shared_role.get() {
            let _ = ids.shared_role.set(format!("{prefix}{role}"));
        }
        ids
    }
}

/// Attributes shared by both function constructs.
macro_rules! function_handle {
    ($ty:ty) => {
        impl $ty {
            /// The function's ARN.
            pub fn arn(&self) -> Value<Arn<kind::lambda::Function>> {
                Value::get_att(&self.ids.function, "Arn")
            }

            /// The function's name (`Ref`).
            pub fn name(&self) -> Value<Id<kind::lambda::Function>> {
                Value::reference(&self.ids.function)
            }

            /// The ARN of the execution role: `<Id>ServiceRole`, or the role given with `role`.
            pub fn role_arn(&self) -> Value<Arn<kind::iam::Role>> {
                Value::get_att(self.ids.role(), "Arn")
            }

            /// The name of the function's log group (`<Id>LogGroup`).
            pub fn log_group_name(&self) -> Value<Id<kind::logs::LogGroup>> {
                Value::reference(&self.ids.log_group)
            }

            /// Permission to invoke the function, its versions and its aliases.
            pub fn grant_invoke(&self) -> Grant {
                Grant::new([Statement::allow(
                    ["lambda:InvokeFunction"],
                    [
                        self.arn().into_value(),
                        Value::concat([self.arn().into_value(), Value::lit(":*")]),
                    ],
                )])
            }
        }

        impl Principal for $ty {
            fn role_logical_id(&self) -> &str {
                self.ids.role()
            }
        }

        impl FunctionRef for $ty {
            fn function_logical_id(&self) -> &str {
                &self.ids.function
            }
        }
    };
}

/// A Lambda function whose code is a zip archive: `Code::asset("lambda")` or inline source.
///
/// Resources: the function `<Id>`, its execution role `<Id>ServiceRole` (basic execution
/// managed policy plus the stack's grants; not created when `role` names a role of the
/// stack to run as) and its log group `<Id>LogGroup`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    ids: FunctionIds,
}

/// Options of a [`Function`]. `code`, `runtime` and `handler` are required.
#[derive(Clone, Debug, Default)]
pub struct FunctionProps {
    code: Option<Code>,
    runtime: Option<Runtime>,
    handler: Option<Value<String>>,
    common: CommonOptions,
}

impl FunctionProps {
    /// The code: `Code::asset(dir)` or `Code::inline(source)`.
    #[must_use]
    pub fn code(mut self, code: Code) -> Self {
        self.code = Some(code);
        self
    }

    /// The runtime, e.g. `Runtime::Python313`.
    #[must_use]
    pub fn runtime(mut self, runtime: Runtime) -> Self {
        self.runtime = Some(runtime);
        self
    }

    /// The entry point, e.g. `"index.handler"` (`module.function` for Python and Node.js).
    #[must_use]
    pub fn handler(mut self, handler: impl IntoValue<String>) -> Self {
        self.handler = Some(handler.into_value());
        self
    }
}

common_setters!(FunctionProps);
function_handle!(Function);

impl Construct for Function {
    type Props = FunctionProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            ids: FunctionIds::new(logical_id),
        }
    }

    fn logical_id(&self) -> &str {
        &self.ids.function
    }

    fn in_other_stack(&self, prefix: &str) -> Self {
        Self {
            ids: self.ids.in_other_stack(prefix),
        }
    }

    fn build(&self, props: FunctionProps, stack: &mut StackBuilder) {
        let id = &self.ids.function;
        let runtime = props.runtime.unwrap_or_else(|| {
            stack.report(format!(
                "function `{id}` has no `runtime`; add one, e.g. `runtime: Runtime::Python313`"
            ));
            Runtime::Python313
        });
        let handler = props.handler.unwrap_or_else(|| {
            stack.report(format!(
                "function `{id}` has no `handler`; add one, e.g. `handler: \"index.handler\"`"
            ));
            Value::lit("index.handler")
        });
        let code = match props.code.map(|c| c.source) {
            Some(CodeSource::Asset(dir)) => {
                let owner = format!("function `{id}`");
                let hash = register_asset(stack, AssetKind::FileArchive, &dir, None, &owner);
                obj([
                    ("S3Bucket", Expr::Sub(FILE_ASSET_BUCKET.to_owned())),
                    ("S3Key", Expr::Str(format!("{hash}.zip"))),
                ])
            }
            Some(CodeSource::Inline(source)) => {
                if !runtime.supports_inline() {
                    stack.report(format!(
                        "function `{id}`: inline code needs a Python or Node.js runtime, not `{}`; use `Code::asset(dir)`",
                        runtime.as_str()
                    ));
                }
                if source.chars().count() > 4096 {
                    stack.report(format!(
                        "function `{id}`: inline code is {} characters, over Lambda's 4096; use `Code::asset(dir)`",
                        source.chars().count()
                    ));
                }
                obj([("ZipFile", Expr::Str(source))])
            }
            None => {
                stack.report(format!(
                    "function `{id}` has no `code`; add `code: Code::asset(\"dir\")`"
                ));
                obj([("ZipFile", lit(""))])
            }
        };
        let package = vec![
            ("Handler", handler.into_expr()),
            ("Runtime", lit(runtime.as_str())),
        ];
        build_function(stack, &self.ids, code, package, props.common);
    }
}

/// A Lambda function packaged as a container image: `DockerImageCode::from_asset(dir)`
/// builds the directory's `Dockerfile`.
///
/// Resources: the function `<Id>`, its execution role `<Id>ServiceRole` (unless `role` is
/// given) and its log group `<Id>LogGroup`, as for [`Function`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DockerImageFunction {
    ids: FunctionIds,
}

/// Options of a [`DockerImageFunction`]. `code` is required.
#[derive(Clone, Debug, Default)]
pub struct DockerImageFunctionProps {
    code: Option<DockerImageCode>,
    common: CommonOptions,
}

impl DockerImageFunctionProps {
    /// The image: `DockerImageCode::from_asset(dir)` or `DockerImageCode::from_uri(uri)`.
    #[must_use]
    pub fn code(mut self, code: DockerImageCode) -> Self {
        self.code = Some(code);
        self
    }
}

common_setters!(DockerImageFunctionProps);
function_handle!(DockerImageFunction);

impl Construct for DockerImageFunction {
    type Props = DockerImageFunctionProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            ids: FunctionIds::new(logical_id),
        }
    }

    fn logical_id(&self) -> &str {
        &self.ids.function
    }

    fn in_other_stack(&self, prefix: &str) -> Self {
        Self {
            ids: self.ids.in_other_stack(prefix),
        }
    }

    fn build(&self, props: DockerImageFunctionProps, stack: &mut StackBuilder) {
        let id = &self.ids.function;
        let image_uri = match props.code.map(|c| c.source) {
            Some(ImageSource::Asset(dir)) => {
                let platform = props.common.architecture.unwrap_or_default().platform();
                let owner = format!("function `{id}`");
                let hash =
                    register_asset(stack, AssetKind::DockerImage, &dir, Some(platform), &owner);
                image_asset_uri(&hash)
            }
            Some(ImageSource::Uri(uri)) => uri.into_expr(),
            None => {
                stack.report(format!(
                    "docker image function `{id}` has no `code`; add `code: DockerImageCode::from_asset(\"dir\")`"
                ));
                lit("")
            }
        };
        let code = obj([("ImageUri", image_uri)]);
        build_function(
            stack,
            &self.ids,
            code,
            vec![("PackageType", lit("Image"))],
            props.common,
        );
    }
}

/// Adds the role, the log group and the function itself.
fn build_function(
    stack: &mut StackBuilder,
    ids: &FunctionIds,
    code: Expr,
    package: Vec<(&str, Expr)>,
    common: CommonOptions,
) {
    let id = ids.function.as_str();
    check_common(stack, id, &common);

    match common.role {
        Some(Some(shared)) => {
            // Set once: a handle is built once per stack.
            let _ = ids.shared_role.set(shared);
        }
        Some(None) => stack.report(format!(
            "function `{id}`: `role` must be a role of this stack (a `Role` or an `AWS::IAM::Role`)"
        )),
        None => {}
    }
    if ids.shared_role.get().is_none() {
        stack.add(&ids.own_role, lambda_execution_role());
    }
    if !common.initial_policy.is_empty() {
        stack.grant(
            &RoleRef(ids.role().to_owned()),
            Grant::new(common.initial_policy),
        );
    }

    let retention = common
        .log_retention
        .and_then(Duration::as_whole_days)
        .and_then(|d| i64::try_from(d).ok())
        .unwrap_or(DEFAULT_LOG_RETENTION_DAYS);
    stack
        .add(&ids.log_group, log_group(retention))
        .removal_policy = Some(RemovalPolicy::Retain);

    let mut props: Vec<(String, Expr)> = Vec::new();
    let mut put = |key: &str, value: Expr| props.push((key.to_owned(), value));
    if let Some(name) = common.function_name {
        put("FunctionName", name.into_expr());
    }
    if let Some(description) = common.description {
        put("Description", description.into_expr());
    }
    put("Code", code);
    for (key, value) in package {
        put(key, value);
    }
    put("Role", Expr::GetAtt(ids.role().to_owned(), "Arn".into()));
    if let Some(architecture) = common.architecture {
        put(
            "Architectures",
            Expr::List(vec![lit(architecture.as_str())]),
        );
    }
    if let Some(memory) = common.memory_size {
        put("MemorySize", memory.into_expr());
    }
    if let Some(timeout) = common.timeout {
        put("Timeout", Expr::Int(timeout.as_i64()));
    }
    if !common.environment.is_empty() {
        put(
            "Environment",
            obj([("Variables", common.environment.to_expr())]),
        );
    }
    put(
        "LoggingConfig",
        obj([("LogGroup", Expr::Ref(ids.log_group.clone()))]),
    );
    // `Role` is a `Fn::GetAtt` on the role, which carries every granted statement inline, so
    // the function is created only once its permissions exist; an explicit `DependsOn`
    // would be redundant (cfn-lint W3005).
    stack.add(
        id,
        ResourceDecl::new("AWS::Lambda::Function", Expr::Map(props)),
    );
}

/// An `AWS::Logs::LogGroup` with a retention; CloudFormation names it.
pub(super) fn log_group(retention_days: i64) -> ResourceDecl {
    ResourceDecl::new(
        "AWS::Logs::LogGroup",
        obj([("RetentionInDays", Expr::Int(retention_days))]),
    )
}

/// Reports option values that Lambda or CloudWatch would reject at deploy time, by the
/// rules `stack!` applies to literals at compile time.
fn check_common(stack: &mut StackBuilder, id: &str, common: &CommonOptions) {
    let mut problems = Vec::new();
    if let Some(name) = common.function_name.as_ref().and_then(literal_str) {
        problems.push(("function_name", rules::lambda::function_name(name)));
    }
    if let Some(timeout) = common.timeout {
        problems.push(("timeout", rules::lambda::timeout(timeout.as_seconds())));
    }
    if let Some(memory) = common.memory_size.as_ref().and_then(literal_int) {
        problems.push(("memory_size", rules::lambda::memory_size(memory)));
    }
    if let Some(retention) = common.log_retention {
        problems.push((
            "log_retention",
            rules::logs::retention(retention.as_seconds()),
        ));
    }
    for (option, result) in problems {
        if let Err(why) = result {
            stack.report(format!("function `{id}`: `{option}` {why}"));
        }
    }
    for (key, _) in common.environment.iter() {
        if let Err(why) = rules::lambda::environment_name(key) {
            stack.report(format!("function `{id}`: {why}"));
        }
    }
}

#[cfg(test)]
mod tests {
    // Functions: role, log group and code wiring, asset registration and option checks.
    use super::*;
    use crate::template::Template;
    use serde_json::{json, Value as Json};
    use std::path::Path;

    fn synth(build: impl FnOnce(&mut StackBuilder)) -> Template {
        let mut stack = StackBuilder::new("Test");
        build(&mut stack);
        match stack.finish() {
            Ok(synthesized) => synthesized.template,
            Err(e) => panic!("{e}"),
        }
    }

    fn problems(build: impl FnOnce(&mut StackBuilder)) -> Vec<String> {
        let mut stack = StackBuilder::new("Test");
        build(&mut stack);
        stack.finish().err().map(|e| e.problems).unwrap_or_default()
    }

    fn resource(template: &Template, id: &str) -> Json {
        template.to_json()["Resources"][id].clone()
    }

    fn temp_asset_dir(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("stack-core-lambda-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir is writable");
        for (file, contents) in files {
            std::fs::write(dir.join(file), contents).expect("temp dir is writable");
        }
        dir
    }

    #[test]
    fn zip_function_gets_role_log_group_and_asset_code() {
        let dir = temp_asset_dir("zip", &[("index.py", "def handler(e, c): pass\n")]);
        let func = Function::declare("Worker");
        let mut stack = StackBuilder::new("Test");
        func.build(
            FunctionProps::default()
                .code(Code::asset(&dir))
                .runtime(Runtime::Python313)
                .handler("index.handler")
                .timeout(Duration::seconds(30))
                .memory_size(256)
                .architecture(Architecture::Arm64)
                .environment(StringMap::new().entry("TABLE", "t")),
            &mut stack,
        );
        let synthesized = match stack.finish() {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(synthesized.assets.len(), 1);
        assert_eq!(synthesized.assets[0].kind, AssetKind::FileArchive);
        let hash = &synthesized.assets[0].hash;
        let template = &synthesized.template;
        let f = resource(template, "Worker");
        assert_eq!(f["Type"], "AWS::Lambda::Function");
        assert!(f.get("DependsOn").is_none());
        let p = &f["Properties"];
        assert_eq!(
            p["Code"],
            json!({"S3Bucket": {"Fn::Sub": "stack-assets-${AWS::AccountId}-${AWS::Region}"}, "S3Key": format!("{hash}.zip")})
        );
        assert_eq!(p["Runtime"], "python3.13");
        assert_eq!(p["Handler"], "index.handler");
        assert_eq!(
            p["Role"],
            json!({"Fn::GetAtt": ["WorkerServiceRole", "Arn"]})
        );
        assert_eq!(p["Timeout"], 30);
        assert_eq!(p["MemorySize"], 256);
        assert_eq!(p["Architectures"], json!(["arm64"]));
        assert_eq!(p["Environment"], json!({"Variables": {"TABLE": "t"}}));
        assert_eq!(
            p["LoggingConfig"],
            json!({"LogGroup": {"Ref": "WorkerLogGroup"}})
        );

        let role = resource(template, "WorkerServiceRole");
        assert_eq!(role["Type"], "AWS::IAM::Role");
        assert_eq!(
            role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
            json!({"Service": "lambda.amazonaws.com"})
        );
        assert_eq!(
            role["Properties"]["ManagedPolicyArns"],
            json!([{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}])
        );
        let logs = resource(template, "WorkerLogGroup");
        assert_eq!(logs["Properties"]["RetentionInDays"], 365);
        assert_eq!(logs["DeletionPolicy"], "Retain");
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn docker_function_uses_the_image_asset_and_relative_base_dir() {
        let dir = temp_asset_dir(
            "image",
            &[("Dockerfile", "FROM public.ecr.aws/lambda/python:3.13\n")],
        );
        let Some(base) = dir.parent().map(Path::to_path_buf) else {
            panic!("temp dir has a parent")
        };
        let Some(name) = dir.file_name().map(PathBuf::from) else {
            panic!("temp dir has a name")
        };
        let func = DockerImageFunction::declare("Api");
        let mut stack = StackBuilder::new("Test").with_base_dir(base);
        func.build(
            DockerImageFunctionProps::default()
                .code(DockerImageCode::from_asset(name))
                .function_name("photosky")
                .timeout(Duration::minutes(5)),
            &mut stack,
        );
        let synthesized = match stack.finish() {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(synthesized.assets.len(), 1);
        assert_eq!(synthesized.assets[0].kind, AssetKind::DockerImage);
        let hash = &synthesized.assets[0].hash;
        let p = resource(&synthesized.template, "Api")["Properties"].clone();
        assert_eq!(p["PackageType"], "Image");
        assert_eq!(
            p["Code"]["ImageUri"],
            json!({"Fn::Sub": format!("${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/stack-container-assets:{hash}")})
        );
        assert_eq!(p["Timeout"], 300);
        assert_eq!(p["FunctionName"], "photosky");
        assert!(p.get("Handler").is_none());
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn missing_asset_directory_is_reported() {
        let problems = problems(|stack| {
            DockerImageFunction::declare("Api").build(
                DockerImageFunctionProps::default()
                    .code(DockerImageCode::from_asset("/nonexistent/stack-core-asset")),
                stack,
            );
        });
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("`Api`"), "{problems:?}");
    }

    #[test]
    fn initial_policy_and_grants_land_on_the_service_role() {
        let template = synth(|stack| {
            let func = Function::declare("Worker");
            func.build(
                FunctionProps::default()
                    .code(Code::inline("def handler(e, c):\n    return 1\n"))
                    .runtime(Runtime::Python313)
                    .handler("index.handler")
                    .initial_policy([Statement::allow(
                        ["sqs:SendMessage"],
                        ["arn:aws:sqs:us-east-1:123456789012:q"],
                    )]),
                stack,
            );
        });
        let role = resource(&template, "WorkerServiceRole");
        assert_eq!(
            role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]["Action"],
            "sqs:SendMessage"
        );
        assert_eq!(
            resource(&template, "Worker")["Properties"]["Code"],
            json!({"ZipFile": "def handler(e, c):\n    return 1\n"})
        );
    }

    #[test]
    fn a_shared_role_replaces_the_service_role_and_receives_grants() {
        let role = super::super::Role::declare("Shared");
        let func = DockerImageFunction::declare("Chat");
        let template = synth(|stack| {
            role.build(
                super::super::RoleProps::default().assumed_by(
                    super::super::Principals::default()
                        .services(["lambda.amazonaws.com", "bedrock.amazonaws.com"]),
                ),
                stack,
            );
            func.build(
                DockerImageFunctionProps::default()
                    .code(DockerImageCode::from_uri(
                        "123456789012.dkr.ecr.us-east-1.amazonaws.com/chat:1",
                    ))
                    .role(&role)
                    .initial_policy([Statement::allow(
                        ["sqs:SendMessage"],
                        ["arn:aws:sqs:us-east-1:123456789012:q"],
                    )]),
                stack,
            );
            stack.grant(&func, func.grant_invoke());
        });
        assert!(resource(&template, "ChatServiceRole").is_null());
        assert_eq!(
            resource(&template, "Chat")["Properties"]["Role"],
            json!({"Fn::GetAtt": ["Shared", "Arn"]})
        );
        assert_eq!(
            func.role_arn().expr(),
            &Expr::GetAtt("Shared".into(), "Arn".into())
        );
        assert_eq!(func.role_logical_id(), "Shared");
        assert_eq!(
            func.in_other_stack("Main/").role_arn().expr(),
            &Expr::GetAtt("Main/Shared".into(), "Arn".into())
        );
        let statements = resource(&template, "Shared")["Properties"]["Policies"][0]
            ["PolicyDocument"]["Statement"]
            .to_string();
        assert!(statements.contains("sqs:SendMessage"), "{statements}");
        assert!(statements.contains("lambda:InvokeFunction"), "{statements}");
    }

    #[test]
    fn a_role_that_is_not_of_the_stack_is_reported() {
        let problems = problems(|stack| {
            let not_a_role: Value<Id<kind::iam::Role>> = Value::get_att("Other", "Name");
            Function::declare("Worker").build(
                FunctionProps::default()
                    .code(Code::inline("def handler(e, c):\n    return 1\n"))
                    .runtime(Runtime::Python313)
                    .handler("index.handler")
                    .role(not_a_role),
                stack,
            );
        });
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("`role`"), "{problems:#?}");
    }

    #[test]
    fn attributes_are_typed_references() {
        let func = Function::declare("Worker");
        assert_eq!(
            func.arn().expr(),
            &Expr::GetAtt("Worker".into(), "Arn".into())
        );
        assert_eq!(func.name().expr(), &Expr::Ref("Worker".into()));
        assert_eq!(
            func.role_arn().expr(),
            &Expr::GetAtt("WorkerServiceRole".into(), "Arn".into())
        );
        assert_eq!(func.role_logical_id(), "WorkerServiceRole");
        assert_eq!(func.logical_id(), "Worker");
    }

    #[test]
    fn invalid_options_are_reported() {
        let problems = problems(|stack| {
            Function::declare("Worker").build(
                FunctionProps::default()
                    .code(Code::inline("x"))
                    .runtime(Runtime::Java21)
                    .handler("a.b")
                    .function_name("bad name")
                    .timeout(Duration::minutes(16))
                    .memory_size(64)
                    .log_retention(Duration::days(2))
                    .environment(StringMap::new().entry("AWS_REGION", "x").entry("1X", "y")),
                stack,
            );
        });
        let expected = [
            "inline code",
            "function_name",
            "timeout",
            "memory_size",
            "log_retention",
            "`1X`",
            "`AWS_REGION` is reserved",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        for needle in expected {
            assert!(
                problems.iter().any(|p| p.contains(needle)),
                "no problem mentions {needle}: {problems:#?}"
            );
        }
    }

    #[test]
    fn missing_required_options_are_reported() {
        let problems = problems(|stack| {
            Function::declare("Worker").build(FunctionProps::default(), stack);
        });
        assert_eq!(problems.len(), 3, "{problems:#?}");
    }
}
