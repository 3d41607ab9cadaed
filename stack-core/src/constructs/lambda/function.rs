//! [`Function`]: a function whose code is a zip archive.

use std::path::Path;

use super::code::CodeSource;
use super::*;

/// A Lambda function whose code is a zip archive: `Code::asset("lambda")`, inline source,
/// or a Rust crate of the workspace built as the `bootstrap` of a custom runtime
/// (`Code::rust("crate")`).
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
    /// The code: `Code::asset(dir)`, `Code::inline(source)` or `Code::rust(crate)`.
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
        let owner = format!("function `{id}`");
        let code = match props.code.map(|c| c.source) {
            Some(CodeSource::Asset(dir)) => file_asset(stack, &dir, &owner),
            Some(CodeSource::Rust(krate)) => {
                if runtime != Runtime::ProvidedAl2023 {
                    stack.report(format!(
                        "{owner}: a Rust crate runs on `Runtime::ProvidedAl2023`, not `{}`",
                        runtime.as_str()
                    ));
                }
                let architecture = props.common.architecture.unwrap_or_default();
                match rust::build(stack.base_dir(), &krate, architecture) {
                    Ok(dir) => file_asset(stack, &dir, &owner),
                    Err(problem) => {
                        stack.report(format!("{owner}: {problem}"));
                        inline_code(String::new())
                    }
                }
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
                inline_code(source)
            }
            None => {
                stack.report(format!(
                    "function `{id}` has no `code`; add `code: Code::asset(\"dir\")`"
                ));
                inline_code(String::new())
            }
        };
        let package = aws::lambda::Function {
            code: Some(code),
            handler: Some(handler),
            runtime: Some(Value::lit(runtime.as_str())),
            ..Default::default()
        };
        build_function(stack, &self.ids, package, props.common);
    }
}

/// The zip of `dir`, uploaded as a file asset.
fn file_asset(stack: &mut StackBuilder, dir: &Path, owner: &str) -> l1::Code {
    let hash = register_asset(stack, AssetKind::FileArchive, dir, None, owner);
    l1::Code {
        s3_bucket: Some(Value::sub(FILE_ASSET_BUCKET)),
        s3_key: Some(Value::lit(format!("{hash}.zip"))),
        ..Default::default()
    }
}

/// Source code inlined in the template.
fn inline_code(source: String) -> l1::Code {
    l1::Code {
        zip_file: Some(Value::lit(source)),
        ..Default::default()
    }
}
