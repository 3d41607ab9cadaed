//! [`DockerImageFunction`]: a function packaged as a container image.

use super::code::ImageSource;
use super::*;

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
                Value::from_expr(image_asset_uri(&hash))
            }
            Some(ImageSource::Uri(uri)) => uri,
            None => {
                stack.report(format!(
                    "docker image function `{id}` has no `code`; add `code: DockerImageCode::from_asset(\"dir\")`"
                ));
                Value::lit("")
            }
        };
        let package = aws::lambda::Function {
            code: Some(l1::Code {
                image_uri: Some(image_uri),
                ..Default::default()
            }),
            package_type: Some(Value::lit("Image")),
            ..Default::default()
        };
        build_function(stack, &self.ids, package, props.common);
    }
}
