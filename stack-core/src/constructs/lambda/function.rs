//! [`Function`]: a function whose code is a zip archive.

use super::code::CodeSource;
use super::*;

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
