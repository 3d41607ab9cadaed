//! Building one stack: the scope that constructs add resources, grants and outputs to.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::asset::Asset;
use crate::env::Env;
use crate::expr::Expr;
use crate::iam::{attach_grants, Grant, Principal, Statement};
use crate::overrides::{self, PropertyOverride};
use crate::resource::{RemovalPolicy, Resource};
use crate::template::{Output, Parameter, ResourceDecl, Template};

/// CloudFormation's maximum number of resources in one stack.
const MAX_RESOURCES: usize = 500;

/// A stack declared with `stack!`: a name and a synthesized template.
pub trait Stack {
    /// The stack name used for deployment and for the template file name.
    fn stack_name(&self) -> &str;
    /// The stack's synthesized artifact, or why it could not be built.
    fn synthesized(&self) -> Result<&Synthesized, &SynthError>;

    /// The stacks of the app this one imports values from; they deploy first.
    fn dependencies(&self) -> &[String] {
        &[]
    }
}

/// Implemented by every `stack!` struct: what is known of it at compile time, which
/// `stack!` checks across stacks in constant evaluation.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a stack declared with `stack!`",
    label = "`uses` takes other stacks of the app"
)]
pub trait StackDecl {
    /// The struct's path, `module::Name`: unique in the program.
    const PATH: &'static str;
    /// The [`PATH`](Self::PATH)s of the stacks it `uses`.
    const USES: &'static [&'static str] = &[];
    /// 0 for a stack that uses none, else one more than the deepest stack it uses, so
    /// that a longer cycle of `uses` is a compile-time cycle too.
    const DEPTH: usize = 0;
    /// The export names its outputs choose literally (`#[export = "name"]`).
    const EXPORTS: &'static [&'static str] = &[];
    /// The account its `env` pins it to, when written as a literal.
    const ACCOUNT: Option<&'static str> = None;
    /// The region its `env` pins it to, when written as a literal.
    const REGION: Option<&'static str> = None;
    /// Whether its `env` opts in to `cross_region_references`.
    const CROSS_REGION_REFERENCES: bool = false;
}

/// Whether `list` holds `item`, in constant evaluation.
#[doc(hidden)]
pub const fn contains(list: &[&str], item: &str) -> bool {
    let mut i = 0;
    while i < list.len() {
        let (a, b) = (list[i].as_bytes(), item.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// The first name that both `a` and `b` hold, in constant evaluation.
#[doc(hidden)]
pub const fn first_shared(a: &[&'static str], b: &[&str]) -> Option<&'static str> {
    let mut i = 0;
    while i < a.len() {
        if contains(b, a[i]) {
            return Some(a[i]);
        }
        i += 1;
    }
    None
}

/// A message assembled in constant evaluation, for a compile-time check's panic; cut at
/// 512 bytes.
#[doc(hidden)]
pub struct Message {
    bytes: [u8; 512],
    len: usize,
}

impl Message {
    /// `parts`, one after the other.
    pub const fn new(parts: &[&str]) -> Self {
        let mut message = Self {
            bytes: [0; 512],
            len: 0,
        };
        let mut i = 0;
        while i < parts.len() {
            let part = parts[i].as_bytes();
            let mut j = 0;
            // Whole parts only, so the text stays valid UTF-8.
            if message.len + part.len() <= message.bytes.len() {
                while j < part.len() {
                    message.bytes[message.len] = part[j];
                    message.len += 1;
                    j += 1;
                }
            }
            i += 1;
        }
        message
    }

    /// The text.
    pub const fn as_str(&self) -> &str {
        match std::str::from_utf8(self.bytes.split_at(self.len).0) {
            Ok(text) => text,
            Err(_) => "",
        }
    }
}

/// A stack `S` that another uses, with whether its depth counts: not when `S` uses that
/// stack back, which is reported by name instead of as a cycle of `DEPTH` constants.
#[doc(hidden)]
pub struct Used<const COUNTS: bool, S>(std::marker::PhantomData<S>);

/// The depth a [`Used`] stack contributes.
#[doc(hidden)]
pub trait UsedDepth {
    /// `S::DEPTH`, or 0 when it does not count.
    const DEPTH: usize;
}

impl<S: StackDecl> UsedDepth for Used<true, S> {
    const DEPTH: usize = S::DEPTH;
}

impl<S> UsedDepth for Used<false, S> {
    const DEPTH: usize = 0;
}

/// The result of synthesizing one stack.
#[derive(Clone, Debug)]
pub struct Synthesized {
    /// The template.
    pub template: Template,
    /// Files and images the template refers to, to be published before deployment.
    pub assets: Vec<Asset>,
    /// Stack-level tags, applied by CloudFormation to every resource that supports them.
    pub tags: Vec<(String, String)>,
    /// Resources declared under another name before (`#[renamed_from(old)]`): `(old
    /// logical ID, new logical ID)`, in template order. A deploy moves each deployed
    /// `old` to `new` instead of deleting it and creating `new`.
    pub renames: Vec<(String, String)>,
    /// The account and region the stack is pinned to (`env { .. }`); both `None` for an
    /// environment-agnostic stack.
    pub env: Env,
}

/// Why a stack could not be synthesized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthError {
    /// The stack's name.
    pub stack: String,
    /// Every problem found, in order.
    pub problems: Vec<String>,
}

impl fmt::Display for SynthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stack `{}` cannot be synthesized:", self.stack)?;
        for problem in &self.problems {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SynthError {}

/// The scope that constructs write into while a stack is built.
#[derive(Debug)]
pub struct StackBuilder {
    name: String,
    template: Template,
    role_statements: Vec<(String, Statement)>,
    assets: Vec<Asset>,
    tags: Vec<(String, String)>,
    problems: Vec<String>,
    base_dir: PathBuf,
    overrides: Vec<PropertyOverride>,
    deferred: Vec<DeferredCheck>,
    renames: Vec<(String, String)>,
    env: Env,
}

/// A check that can only run once every resource is built, returning the problems found.
struct DeferredCheck(Box<dyn FnOnce() -> Vec<String> + Send>);

impl fmt::Debug for DeferredCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DeferredCheck")
    }
}

impl StackBuilder {
    /// An empty stack called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            template: Template::default(),
            role_statements: Vec::new(),
            assets: Vec::new(),
            tags: Vec::new(),
            problems: Vec::new(),
            base_dir: PathBuf::new(),
            overrides: Vec::new(),
            deferred: Vec::new(),
            renames: Vec::new(),
            env: Env::default(),
        }
    }

    /// Resolves relative asset directories against `dir` (`stack!` passes the crate's
    /// `CARGO_MANIFEST_DIR`) instead of the working directory.
    #[must_use]
    pub fn with_base_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.base_dir = dir.into();
        self
    }

    /// The directory relative asset paths resolve against; empty means the working directory.
    pub fn base_dir(&self) -> &Path {
        &self.base_dir
    }

    /// The stack's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Sets the template description.
    pub fn set_description(&mut self, description: impl Into<String>) {
        self.template.description = Some(description.into());
    }

    /// Pins the stack to an account and region (`env { .. }`), reporting a value that is
    /// no region or account ID.
    pub fn set_env(&mut self, env: Env) {
        self.problems.extend(env.problems());
        self.env = env;
    }

    /// Adds a resource. A logical ID used twice is reported when the stack is finished.
    pub fn add(&mut self, logical_id: impl Into<String>, decl: ResourceDecl) -> &mut ResourceDecl {
        let logical_id = logical_id.into();
        if self.template.resource(&logical_id).is_some() {
            self.problems.push(format!(
                "logical ID `{logical_id}` is used by two resources; rename one of them"
            ));
        }
        self.template.resources.push((logical_id, decl));
        let last = self.template.resources.len() - 1;
        &mut self.template.resources[last].1
    }

    /// Adds a resource of a generated type.
    pub fn add_resource<R: Resource>(
        &mut self,
        logical_id: impl Into<String>,
        resource: &R,
    ) -> &mut ResourceDecl {
        self.add(
            logical_id,
            ResourceDecl::new(R::TYPE, resource.properties()),
        )
    }

    /// How many resources the stack holds so far: taken before a declaration is built, it
    /// marks where that declaration's resources start, for [`StackBuilder::renamed_from`].
    pub fn resource_count(&self) -> usize {
        self.template.resources.len()
    }

    /// Records that the declaration whose logical ID is `new`, and which added the
    /// resources from position `first` on, was declared as `old` before: each of those
    /// resources whose logical ID starts with `new` (the declaration's own and the ones a
    /// construct derives from it, `<New>Role`) had the same ID with `old` in front.
    pub fn renamed_from(&mut self, first: usize, old: &str, new: &str) {
        for (id, _) in self.template.resources.iter().skip(first) {
            if let Some(suffix) = id.strip_prefix(new) {
                self.renames.push((format!("{old}{suffix}"), id.clone()));
            }
        }
    }

    /// The resource with this logical ID, mutably.
    pub fn resource_mut(&mut self, logical_id: &str) -> Option<&mut ResourceDecl> {
        self.template.resource_mut(logical_id)
    }

    /// Sets the removal policy of an already added resource.
    pub fn set_removal_policy(&mut self, logical_id: &str, policy: RemovalPolicy) {
        match self.template.resource_mut(logical_id) {
            Some(resource) => resource.removal_policy = Some(policy),
            None => self.problems.push(format!(
                "removal policy set on unknown resource `{logical_id}`"
            )),
        }
    }

    /// Makes `logical_id` depend on `on`.
    pub fn add_dependency(&mut self, logical_id: &str, on: &str) {
        match self.template.resource_mut(logical_id) {
            Some(resource) => resource.add_dependency(on),
            None => self.problems.push(format!(
                "dependency added to unknown resource `{logical_id}`"
            )),
        }
    }

    /// Adds a template parameter.
    pub fn add_parameter(&mut self, name: impl Into<String>, parameter: Parameter) {
        self.template.parameters.push((name.into(), parameter));
    }

    /// Adds an output.
    pub fn add_output(&mut self, name: impl Into<String>, output: Output) {
        self.template.outputs.push((name.into(), output));
    }

    /// Attaches a grant's statements to the principal's role.
    pub fn grant(&mut self, principal: &dyn Principal, grant: Grant) {
        let role = principal.role_logical_id().to_owned();
        self.role_statements
            .extend(grant.statements.into_iter().map(|s| (role.clone(), s)));
    }

    /// Records an asset the template refers to.
    pub fn add_asset(&mut self, asset: Asset) {
        if !self.assets.contains(&asset) {
            self.assets.push(asset);
        }
    }

    /// Adds a tag to one resource's `Tags` list.
    pub fn tag_resource(
        &mut self,
        logical_id: &str,
        key: &str,
        value: crate::value::Value<String>,
    ) {
        let tag = crate::tag::Tag::new(key, value);
        match self.template.resource_mut(logical_id) {
            Some(resource) => {
                resource.push_to_list_property("Tags", crate::value::ToExpr::to_expr(&tag))
            }
            None => self
                .problems
                .push(format!("tag added to unknown resource `{logical_id}`")),
        }
    }

    /// Adds a stack-level tag.
    pub fn add_tag(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.tags.push((key.into(), value.into()));
    }

    /// Sets the property at `path` (below `Properties`) of the resource `logical_id` to
    /// `value`, or removes it with `None`, once every resource is built: what a
    /// construct creates can be changed where it has no option for it.
    pub fn override_property(
        &mut self,
        logical_id: impl Into<String>,
        path: &[&str],
        value: Option<Expr>,
    ) {
        self.overrides.push(PropertyOverride {
            logical_id: logical_id.into(),
            path: path.iter().map(|s| (*s).to_owned()).collect(),
            value,
        });
    }

    /// Records a problem found while building; the stack will not synthesize.
    pub fn report(&mut self, problem: impl Into<String>) {
        self.problems.push(problem.into());
    }

    /// Runs `check` when the stack is finished, once every resource is built: for what a
    /// construct can only judge after the resources that use it (a path asked of an API
    /// by a method declared below it).
    pub fn check_when_finished(&mut self, check: impl FnOnce() -> Vec<String> + Send + 'static) {
        self.deferred.push(DeferredCheck(Box::new(check)));
    }

    /// Finishes the stack: attaches granted statements to their roles as one inline
    /// policy per role, and reports every problem found.
    pub fn finish(mut self) -> Result<Synthesized, SynthError> {
        let grants = std::mem::take(&mut self.role_statements);
        let problems = attach_grants(&mut self.template, grants);
        self.problems.extend(problems);
        for check in std::mem::take(&mut self.deferred) {
            self.problems.extend((check.0)());
        }
        for o in std::mem::take(&mut self.overrides) {
            let what = format!("override of `{}.{}`", o.logical_id, o.path.join("."));
            match self.template.resource_mut(&o.logical_id) {
                Some(decl) => {
                    if let Err(why) = overrides::apply(&mut decl.properties, &o.path, o.value) {
                        self.problems.push(format!("{what}: {why}"));
                    }
                }
                None => self.problems.push(format!(
                    "{what}: the stack has no resource `{}`",
                    o.logical_id
                )),
            }
        }
        for (id, _) in &self.template.resources {
            if id.len() > stack_spec::logical_id::MAX_LEN {
                self.problems.push(format!(
                    "logical ID `{id}` has {} characters, more than the {} CloudFormation accepts; shorten the declared name or the `for` key it comes from",
                    id.len(),
                    stack_spec::logical_id::MAX_LEN
                ));
            }
        }
        for (old, new) in &self.renames {
            if self.template.resource(old).is_some() {
                self.problems.push(format!(
                    "`{new}` is renamed from `{old}`, but the stack still has a resource `{old}`; \
                     a deploy could not tell which one the deployed `{old}` is: rename the other one"
                ));
            }
        }
        if self.template.resources.len() > MAX_RESOURCES {
            self.problems.push(format!(
                "the stack has {} resources, more than the {MAX_RESOURCES} CloudFormation allows; split it into several stacks",
                self.template.resources.len()
            ));
        }
        if self.template.resources.is_empty() {
            self.problems
                .push("a stack needs at least one resource".to_owned());
        }
        if self.problems.is_empty() {
            Ok(Synthesized {
                template: self.template,
                assets: self.assets,
                tags: self.tags,
                renames: self.renames,
                env: self.env,
            })
        } else {
            Err(SynthError {
                stack: self.name,
                problems: self.problems,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    // What `finish` reports about the stack as a whole, and the renames it records.
    use super::*;

    fn queue() -> ResourceDecl {
        ResourceDecl::new("AWS::SQS::Queue", Expr::Map(Vec::new()))
    }

    #[test]
    fn a_rename_maps_every_logical_id_the_declaration_added_under_its_prefix() {
        let mut stack = StackBuilder::new("Renamed");
        stack.add("PhotosExtra", queue());
        let first = stack.resource_count();
        stack.add("Photos", queue());
        stack.add("PhotosRole", queue());
        // Added by the same declaration, but not named after it: not renamed.
        stack.add("Shared", queue());
        stack.renamed_from(first, "Files", "Photos");
        let synthesized = stack.finish().expect("synthesizes");
        assert_eq!(
            synthesized.renames,
            [
                ("Files".to_owned(), "Photos".to_owned()),
                ("FilesRole".to_owned(), "PhotosRole".to_owned()),
            ]
        );
    }

    #[test]
    fn a_rename_from_an_id_the_stack_still_has_is_reported() {
        let mut stack = StackBuilder::new("Renamed");
        stack.add("FilesRole", queue());
        let first = stack.resource_count();
        stack.add("Photos", queue());
        stack.add("PhotosRole", queue());
        stack.renamed_from(first, "Files", "Photos");
        let problems = stack.finish().err().map(|e| e.problems).unwrap_or_default();
        assert_eq!(
            problems,
            [
                "`PhotosRole` is renamed from `FilesRole`, but the stack still has a resource \
              `FilesRole`; a deploy could not tell which one the deployed `FilesRole` is: rename \
              the other one"
            ]
        );
    }

    #[test]
    fn a_logical_id_over_255_characters_is_reported_with_its_length() {
        let mut stack = StackBuilder::new("Long");
        let id = format!("Queue{}", "X".repeat(251));
        stack.add(
            &id,
            ResourceDecl::new("AWS::SQS::Queue", Expr::Map(Vec::new())),
        );
        stack.add(
            "Short",
            ResourceDecl::new("AWS::SQS::Queue", Expr::Map(Vec::new())),
        );
        let problems = stack.finish().err().map(|e| e.problems).unwrap_or_default();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("has 256 characters"), "{problems:#?}");
    }
}
