//! The higher-level constructs (L2) `stack!` knows: their options and the rules their
//! literal values follow, attributes, grants, and whether they can hold a policy; and the
//! option types written as struct literals inside them (`CorsRule { ... }`). The
//! constructs themselves live in `stack_core::constructs`, whose build fails when a fact
//! here names what a construct lacks (`stack_core`'s `constructs/agreement.rs`).
//!
//! One file per service; each exports `CONSTRUCTS`, `OPTION_TYPES` and `RESOURCE_TYPES`
//! (the CloudFormation types its constructs build with the generated structs, which
//! `cargo xtask codegen` compiles whatever the features). The build finds the files, so a
//! new service's constructs need no other edit here.

use crate::rules::Check;

/// How the macro treats one construct option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// Any value; rustc checks its type against the setter.
    Plain,
    /// Lambda environment variables: a `{ NAME: value }` map of strings.
    Env,
    /// A secret's value, or a `{ key: value }` map of them: a plaintext literal is an
    /// error unless marked `SecretValue::unsafe_plain_text`.
    Secret,
}

/// One construct option, or one field of an option type.
#[derive(Clone, Copy, Debug)]
pub struct OptionSpec {
    /// The option's name, which is also its setter's.
    pub name: &'static str,
    /// Whether a block must set it.
    pub required: bool,
    /// How the macro lowers and checks its value.
    pub kind: OptionKind,
    /// The rule a literal value (or each literal of a list) must follow.
    pub check: Option<Check>,
    /// For a field of an option type: whether its literal values must differ between the
    /// struct literals of one list (two `WebSocketRoute`s with one `route_key`).
    pub unique: bool,
    /// Whether only the construct's secondary resources (a WebSocket API's integrations,
    /// routes and permissions) refer to what this option's value names, never the
    /// resources its attributes name: such references neither order the build nor close
    /// a cycle, so a function an API calls may read the API's URL.
    pub detached: bool,
    /// For a field of an option type: a literal of it that a literal of another field of
    /// the same struct literal rules out.
    pub conflict: Option<Conflict>,
    /// A type the option's setter takes, written as in `stack_core::constructs`
    /// (`Value<String>`, `Vec<CorsRule>`, `&Function`); a build of `stack-core` fails when
    /// the setter does not take it.
    pub ty: &'static str,
}

impl OptionSpec {
    /// The same option, its literal values checked by `check`.
    pub const fn checked(self, check: Check) -> Self {
        Self {
            check: Some(check),
            ..self
        }
    }

    /// The same option, its references detached from the construct's attributes.
    pub const fn detached(self) -> Self {
        Self {
            detached: true,
            ..self
        }
    }

    /// The same field, its literal values distinct within one list of its option type.
    pub const fn unique(self) -> Self {
        Self {
            unique: true,
            ..self
        }
    }

    /// The same field, some of its literals ruled out by another field's literal.
    pub const fn conflicts(self, conflict: Conflict) -> Self {
        Self {
            conflict: Some(conflict),
            ..self
        }
    }
}

/// Literals of one field of an option type that a literal of another field rules out:
/// the `*` origin with `allow_credentials: true`.
#[derive(Clone, Copy, Debug)]
pub struct Conflict {
    /// This field's literals that conflict, as written: a string's value (`*`), `true` or
    /// `false`, or a constant as its type and name (`Cors::ALL_ORIGINS`).
    pub values: &'static [&'static str],
    /// The other field.
    pub other: &'static str,
    /// The other field's literal that rules them out, written as `values` are.
    pub other_value: &'static str,
    /// Why, read after this field's name and literal: "cannot go with ...".
    pub why: &'static str,
}

/// An option type that blocks write as a struct literal (`ApiRoute { method: "GET" }`),
/// built as `<Type as Default>::default().field(value)...`.
#[derive(Debug)]
pub struct OptionType {
    /// The type's name.
    pub name: &'static str,
    /// Its fields.
    pub fields: &'static [OptionSpec],
}

/// One construct.
#[derive(Debug)]
pub struct ConstructSpec {
    /// The type name users write.
    pub name: &'static str,
    /// The CloudFormation type of its primary resource.
    pub cfn_type: &'static str,
    /// Its options.
    pub options: &'static [OptionSpec],
    /// Attribute methods (`bucket.arn`).
    pub attrs: &'static [&'static str],
    /// Grant bundles it hands out (`grant func read bucket`).
    pub grants: &'static [&'static str],
    /// Whether it has a role that grants attach to.
    pub principal: bool,
    /// How many resources it adds at least (for the per-stack limit).
    pub resources: usize,
    /// The resources it adds besides its primary one that `override` can reach by name.
    pub children: &'static [Child],
}

/// A resource a construct adds besides its primary one, e.g. a function's role.
#[derive(Clone, Copy, Debug)]
pub struct Child {
    /// The name `override` reaches it by: `override worker.role.Path = "/app/";`.
    pub name: &'static str,
    /// What its logical ID adds to the construct's (`ServiceRole`: `WorkerServiceRole`).
    pub suffix: &'static str,
    /// Its CloudFormation type.
    pub cfn_type: &'static str,
}

/// An optional, plain option whose setter takes a `ty`.
pub const fn opt(name: &'static str, ty: &'static str) -> OptionSpec {
    OptionSpec {
        name,
        required: false,
        kind: OptionKind::Plain,
        check: None,
        unique: false,
        detached: false,
        conflict: None,
        ty,
    }
}

/// A required, plain option whose setter takes a `ty`.
pub const fn req(name: &'static str, ty: &'static str) -> OptionSpec {
    OptionSpec {
        name,
        required: true,
        ..opt(name, ty)
    }
}

/// A Lambda function's `environment`.
pub const ENV: OptionSpec = OptionSpec {
    kind: OptionKind::Env,
    ..opt("environment", "StringMap")
};

// The service files of this directory and `SERVICES`, the table of their constructs and
// option types, written by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/services.rs"));

/// The construct called `name`.
pub fn construct(name: &str) -> Option<&'static ConstructSpec> {
    constructs().find(|c| c.name == name)
}

/// The names of all constructs, for suggestions.
pub fn names() -> impl Iterator<Item = &'static str> {
    constructs().map(|c| c.name)
}

/// Every construct.
pub fn constructs() -> impl Iterator<Item = &'static ConstructSpec> {
    SERVICES
        .iter()
        .flat_map(|(constructs, _, _)| constructs.iter())
}

/// The option type called `name`.
pub fn option_type(name: &str) -> Option<&'static OptionType> {
    option_types().find(|t| t.name == name)
}

/// Every option type.
pub fn option_types() -> impl Iterator<Item = &'static OptionType> {
    SERVICES.iter().flat_map(|(_, types, _)| types.iter())
}

/// The CloudFormation resource types the constructs build their resources with, each
/// once: their generated structs are compiled whatever the service features, and `stack!`
/// needs no feature for them either.
pub fn resource_types() -> impl Iterator<Item = &'static str> {
    let mut types: Vec<&'static str> = SERVICES
        .iter()
        .flat_map(|(_, _, types)| types.iter().copied())
        .collect();
    types.sort_unstable();
    types.dedup();
    types.into_iter()
}

/// Whether the constructs build with `cfn_type`, so that its struct is always compiled.
pub fn is_resource_type(cfn_type: &str) -> bool {
    SERVICES
        .iter()
        .any(|(_, _, types)| types.contains(&cfn_type))
}
