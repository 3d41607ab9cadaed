//! Secrets Manager constructs.

use super::{opt, ConstructSpec, OptionKind, OptionSpec, OptionType};

/// A secret-valued option: a plaintext literal is an error unless marked unsafe.
const fn secret(name: &'static str, ty: &'static str) -> OptionSpec {
    OptionSpec {
        kind: OptionKind::Secret,
        ..opt(name, ty)
    }
}

/// `Secret`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "Secret",
    cfn_type: "AWS::SecretsManager::Secret",
    options: &[
        opt("secret_name", "Value<String>"),
        opt("description", "Value<String>"),
        opt("generate_secret_string", "GenerateSecretString"),
        secret("secret_string_value", "SecretValue"),
        secret("secret_object_value", "SecretObject"),
        opt("removal_policy", "RemovalPolicy"),
    ],
    attrs: &["arn"],
    grants: &["read", "write"],
    principal: false,
    resources: 1,
    children: &[],
}];

/// The option types whose struct literals the macro checks field by field.
pub(super) static OPTION_TYPES: &[OptionType] = &[OptionType {
    name: "GenerateSecretString",
    fields: &[
        opt("secret_string_template", "Value<String>"),
        opt("generate_string_key", "Value<String>"),
        opt("exclude_characters", "Value<String>"),
        opt("exclude_punctuation", "bool"),
        opt("exclude_uppercase", "bool"),
        opt("exclude_lowercase", "bool"),
        opt("exclude_numbers", "bool"),
        opt("include_space", "bool"),
        opt("password_length", "Value<i64>"),
        opt("require_each_included_type", "bool"),
    ],
}];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &["AWS::SecretsManager::Secret"];
