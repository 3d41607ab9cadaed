//! Secrets Manager constructs.

use super::{opt, ConstructSpec, OptionKind, OptionSpec, OptionType};

/// A secret-valued option: a plaintext literal is an error unless marked unsafe.
const fn secret(name: &'static str) -> OptionSpec {
    OptionSpec {
        name,
        required: false,
        kind: OptionKind::Secret,
        check: None,
    }
}

/// `Secret`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "Secret",
    cfn_type: "AWS::SecretsManager::Secret",
    options: &[
        opt("secret_name"),
        opt("description"),
        opt("generate_secret_string"),
        secret("secret_string_value"),
        secret("secret_object_value"),
        opt("removal_policy"),
    ],
    attrs: &["arn"],
    grants: &["read", "write"],
    principal: false,
    resources: 1,
    children: &[],
}];

/// The option types whose struct literals the macro checks field by field: none yet.
pub(super) static OPTION_TYPES: &[OptionType] = &[];
