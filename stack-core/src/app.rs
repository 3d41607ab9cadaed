//! Apps: the stacks one binary synthesizes and deploys, and the references between them.
//!
//! A stack declared with `uses other: Other` receives the other stack as an [`InApp`],
//! which only [`App::add`] hands out, so a stack can only refer to stacks of its app.
//! References into another stack lower to `Fn::ImportValue` in the consumer and to an
//! exported output in the producer; the consumer then depends on the producer.

use std::marker::PhantomData;
use std::ops::Deref;
use std::rc::Rc;

use stack_spec::sub::{self, Part};

use crate::expr::Expr;
use crate::stack::{Stack, SynthError, Synthesized};
use crate::template::{Output, Template};

/// A handle to a resource of another stack: the same construct or handle, with its
/// logical IDs prefixed by that stack's name, so references to it become imports.
pub trait Foreign {
    /// `self` as seen from another stack of the app.
    fn in_stack(&self, stack: &str) -> Self;
}

impl<C: crate::constructs::Construct> Foreign for C {
    fn in_stack(&self, stack: &str) -> Self {
        self.in_other_stack(&format!("{stack}{FOREIGN_SEPARATOR}"))
    }
}

impl<R> Foreign for crate::handle::Handle<R> {
    fn in_stack(&self, stack: &str) -> Self {
        Self::new(format!("{stack}{FOREIGN_SEPARATOR}{}", self.logical_id()))
    }
}

impl<T> Foreign for crate::value::Value<T> {
    fn in_stack(&self, stack: &str) -> Self {
        let mut expr = self.expr().clone();
        prefix_ids(&mut expr, stack);
        Self::from_expr(expr)
    }
}

/// The export names of a stack's outputs that are known at synth time, `${AWS::StackName}`
/// resolved: `(output, export name)`.
fn export_names(stack: &str, template: &Template) -> Vec<(String, String)> {
    template
        .outputs
        .iter()
        .filter_map(|(output, o)| {
            let name = match o.export_name.as_ref()? {
                Expr::Str(name) => name.clone(),
                Expr::Sub(text) => {
                    let resolved = text.replace("${AWS::StackName}", stack);
                    if resolved.contains("${") {
                        return None;
                    }
                    resolved
                }
                _ => return None,
            };
            Some((output.clone(), name))
        })
        .collect()
}

/// Prefixes every logical ID that `expr` refers to with `stack/`.
fn prefix_ids(expr: &mut Expr, stack: &str) {
    let prefixed = |id: &str| format!("{stack}{FOREIGN_SEPARATOR}{id}");
    match expr {
        Expr::Ref(id) if !id.starts_with("AWS::") => *id = prefixed(id),
        Expr::GetAtt(id, _) => *id = prefixed(id),
        Expr::Sub(template) => {
            let mut join = sub_to_join(template);
            prefix_ids(&mut join, stack);
            *expr = join;
        }
        Expr::List(items) | Expr::Join(_, items) => {
            items.iter_mut().for_each(|i| prefix_ids(i, stack));
        }
        Expr::Map(entries) => entries.iter_mut().for_each(|(_, v)| prefix_ids(v, stack)),
        Expr::ImportValue(e) | Expr::Select(_, e) | Expr::Split(_, e) | Expr::GetAzs(e) => {
            prefix_ids(e, stack);
        }
        Expr::Ref(_)
        | Expr::Str(_)
        | Expr::Int(_)
        | Expr::Num(_)
        | Expr::Bool(_)
        | Expr::Json(_) => {}
    }
}

/// Checks at compile time that the listed stacks, the stacks of one app, choose
/// different literal export names (`#[export = "name"]`): export names are unique in a
/// region, so the second stack to deploy would fail.
///
/// ```
/// use stack_core::prelude::*;
///
/// stack! {
///     pub stack Storage {
///         resource files: Bucket {}
///         #[export = "files"]
///         output files_name = files.name;
///     }
/// }
///
/// stack! {
///     pub stack Site {
///         resource site: Bucket {}
///         #[export = "site"]
///         output site_name = site.name;
///     }
/// }
///
/// stack_core::unique_exports!(Storage, Site);
/// ```
///
/// A stack that `uses` another is checked against it without this. Export names computed
/// at run time (`#[export]`, which is `<StackName>-<OutputId>`, or a name built in Rust)
/// are checked when the app is assembled: [`App::add`] makes a duplicate a synth error
/// that names both stacks.
#[macro_export]
macro_rules! unique_exports {
    ($first:ty $(, $rest:ty)* $(,)?) => {
        $(
            const _: () = if let ::core::option::Option::Some(name) = $crate::__private::first_shared(
                <$first as $crate::stack::StackDecl>::EXPORTS,
                <$rest as $crate::stack::StackDecl>::EXPORTS,
            ) {
                let message = $crate::__private::Message::new(&[
                    "stacks `",
                    ::core::stringify!($first),
                    "` and `",
                    ::core::stringify!($rest),
                    "` both export `",
                    name,
                    "`; export names are unique in a region, so rename one of them",
                ]);
                ::core::panic!("{}", message.as_str())
            };
        )*
        $crate::unique_exports!($($rest),*);
    };
    () => {};
}

/// Separates a stack name from a logical ID in references to another stack's resources
/// (`Network/Vpc`). It can appear in neither, so such references are unambiguous.
pub const FOREIGN_SEPARATOR: char = '/';

/// A stack that has been added to an app. Dereferences to the stack, so its resources
/// and outputs can be read; `stack!` blocks that `use` it take it as `&InApp<S, A>`.
///
/// `A` is the app's type (see [`App`]): a stack built from the handles of one app can
/// only be added to that app.
pub struct InApp<S, A = ()> {
    stack: Rc<S>,
    app: PhantomData<fn() -> A>,
}

impl<S, A> Deref for InApp<S, A> {
    type Target = S;

    fn deref(&self) -> &S {
        &self.stack
    }
}

/// A stack built from stacks of the app `A`, as the constructor of a stack with `uses`
/// returns it: only that app's [`App::add`] takes it. Dereferences to the stack.
pub struct FromApp<S, A = ()> {
    stack: S,
    app: PhantomData<fn() -> A>,
}

impl<S, A> FromApp<S, A> {
    /// Ties `stack` to the app whose stacks it was built from; `stack!` calls it.
    pub fn new(stack: S) -> Self {
        Self {
            stack,
            app: PhantomData,
        }
    }
}

impl<S, A> Deref for FromApp<S, A> {
    type Target = S;

    fn deref(&self) -> &S {
        &self.stack
    }
}

/// What [`App::add`] takes for the app `A`: any stack that uses no other, or a stack
/// built from stacks of `A`.
#[diagnostic::on_unimplemented(
    message = "this stack uses stacks of another app",
    label = "this app is an `App<{A}>`, and the stack was built from the stacks of another",
    note = "a stack can only use stacks of the app it is added to: build it from the handles this app's `add` returned"
)]
pub trait AppStack<A> {
    /// The stack.
    type Stack: Stack + 'static;

    /// The stack, to add.
    fn into_stack(self) -> Self::Stack;
}

#[diagnostic::do_not_recommend]
impl<S: Stack + 'static, A> AppStack<A> for S {
    type Stack = S;

    fn into_stack(self) -> S {
        self
    }
}

#[diagnostic::do_not_recommend]
impl<S: Stack + 'static, A> AppStack<A> for FromApp<S, A> {
    type Stack = S;

    fn into_stack(self) -> S {
        self.stack
    }
}

/// One stack of an app, with its references to other stacks resolved.
struct Member {
    name: String,
    synthesized: Result<Synthesized, SynthError>,
    dependencies: Vec<String>,
}

impl Stack for Member {
    fn stack_name(&self) -> &str {
        &self.name
    }

    fn synthesized(&self) -> Result<&Synthesized, &SynthError> {
        self.synthesized.as_ref()
    }

    fn dependencies(&self) -> &[String] {
        &self.dependencies
    }
}

/// The stacks of one app, in the order they were added (which is a dependency order:
/// a stack can only use stacks added before it).
///
/// `A` is the app's type. One app per program needs none (`App::new()`); a program that
/// builds several apps side by side gives each a type of its own
/// (`struct Staging; App::<Staging>::typed()`), so that passing a stack of one to a stack
/// of the other is a type error instead of a synth error.
pub struct App<A = ()> {
    stacks: Vec<Member>,
    app: PhantomData<fn() -> A>,
}

impl Default for App {
    fn default() -> Self {
        Self::typed()
    }
}

impl App {
    /// An app with no stacks.
    pub fn new() -> Self {
        Self::typed()
    }
}

impl<A> App<A> {
    /// An app with no stacks, of the type `A`: stacks built from its stacks can only be
    /// added to an app of that type.
    pub fn typed() -> Self {
        Self {
            stacks: Vec::new(),
            app: PhantomData,
        }
    }

    /// Adds a stack, builder style.
    #[must_use]
    pub fn stack(mut self, stack: impl AppStack<A>) -> Self {
        self.add(stack);
        self
    }

    /// Adds a stack and returns the handle other stacks use it through.
    pub fn add<T: AppStack<A>>(&mut self, stack: T) -> InApp<T::Stack, A> {
        let stack = Rc::new(stack.into_stack());
        let name = stack.stack_name().to_owned();
        let mut synthesized = stack.synthesized().cloned().map_err(Clone::clone);
        let mut dependencies = Vec::new();
        if let Ok(synth) = &mut synthesized {
            let mut problems = Vec::new();
            let imports = self.resolve_imports(&name, &mut synth.template, &mut problems);
            for (producer, _) in &imports {
                if !dependencies.contains(producer) {
                    dependencies.push(producer.clone());
                }
            }
            self.check_export_names(&name, &synth.template, &mut problems);
            for producer in &dependencies {
                let Some(Ok(other)) = self
                    .stacks
                    .iter()
                    .find(|s| s.name == *producer)
                    .map(|s| s.synthesized.as_ref())
                else {
                    continue;
                };
                problems.extend(synth.env.import_problem(&name, producer, &other.env));
            }
            if !problems.is_empty() {
                synthesized = Err(SynthError {
                    stack: name.clone(),
                    problems,
                });
            }
        }
        self.stacks.push(Member {
            name,
            synthesized,
            dependencies,
        });
        InApp {
            stack,
            app: PhantomData,
        }
    }

    /// Reports each export name of `template` (the stack `name`) that a stack added
    /// before exports too: export names are unique in an account and region, so the
    /// second deployment would fail.
    fn check_export_names(&self, name: &str, template: &Template, problems: &mut Vec<String>) {
        for (output, export) in export_names(name, template) {
            for other in &self.stacks {
                let Ok(synth) = &other.synthesized else {
                    continue;
                };
                if let Some((other_output, _)) = export_names(&other.name, &synth.template)
                    .into_iter()
                    .find(|(_, e)| *e == export)
                {
                    problems.push(format!(
                        "output `{output}` exports `{export}`, which stack `{}` exports too (output `{other_output}`); export names are unique in a region, so rename one of them",
                        other.name
                    ));
                }
            }
        }
    }

    /// The stacks, in the order they were added.
    pub fn stacks(&self) -> impl Iterator<Item = &dyn Stack> {
        self.stacks.iter().map(|s| s as &dyn Stack)
    }

    /// Rewrites every reference into another stack in `template` to an import, adding the
    /// matching export to the producer. Returns `(producer, export name)` pairs.
    fn resolve_imports(
        &mut self,
        consumer: &str,
        template: &mut Template,
        problems: &mut Vec<String>,
    ) -> Vec<(String, String)> {
        let mut imports = Vec::new();
        let mut rewrite = |expr: &mut Expr| {
            rewrite_foreign(expr, &mut |producer, logical_id, attribute| match self
                .export(producer, logical_id, attribute)
            {
                Ok(name) => {
                    imports.push((producer.to_owned(), name.clone()));
                    Expr::ImportValue(Box::new(Expr::Str(name)))
                }
                Err(problem) => {
                    problems.push(format!("stack `{consumer}` {problem}"));
                    Expr::Str(String::new())
                }
            });
        };
        for (_, resource) in &mut template.resources {
            rewrite(&mut resource.properties);
        }
        for (_, output) in &mut template.outputs {
            rewrite(&mut output.value);
        }
        imports
    }

    /// The export name for `producer`'s `logical_id` (`attribute`, or `Ref` when `None`),
    /// adding the exported output to the producer on first use.
    fn export(
        &mut self,
        producer: &str,
        logical_id: &str,
        attribute: Option<&str>,
    ) -> Result<String, String> {
        let Some(stack) = self.stacks.iter_mut().find(|s| s.name == producer) else {
            return Err(format!(
                "refers to stack `{producer}`, which is not in this app"
            ));
        };
        let Ok(synth) = &mut stack.synthesized else {
            return Err(format!(
                "refers to stack `{producer}`, which did not synthesize"
            ));
        };
        let template = &mut synth.template;
        if template.resource(logical_id).is_none() {
            return Err(format!(
                "refers to `{logical_id}` in stack `{producer}`, which has no such resource"
            ));
        }
        let attribute_id: String = attribute
            .unwrap_or("Ref")
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let name = format!(
            "{producer}-{logical_id}-{}",
            attribute.unwrap_or("Ref").replace('.', "-")
        );
        let value = match attribute {
            Some(attribute) => Expr::GetAtt(logical_id.to_owned(), attribute.to_owned()),
            None => Expr::Ref(logical_id.to_owned()),
        };
        let already = template
            .outputs
            .iter()
            .any(|(_, o)| o.export_name == Some(Expr::Str(name.clone())));
        if !already {
            template.outputs.push((
                format!("Export{logical_id}{attribute_id}"),
                Output {
                    value,
                    description: Some(format!("Exported for other stacks of the app as `{name}`")),
                    export_name: Some(Expr::Str(name.clone())),
                },
            ));
        }
        Ok(name)
    }
}

/// Replaces each reference to `Stack/LogicalId` inside `expr` by what `import` returns
/// for `(stack, logical id, attribute)`.
fn rewrite_foreign(expr: &mut Expr, import: &mut dyn FnMut(&str, &str, Option<&str>) -> Expr) {
    match expr {
        Expr::Ref(id) => {
            if let Some((stack, logical_id)) = id.split_once(FOREIGN_SEPARATOR) {
                *expr = import(stack, logical_id, None);
            }
        }
        Expr::GetAtt(id, attribute) => {
            if let Some((stack, logical_id)) = id.split_once(FOREIGN_SEPARATOR) {
                *expr = import(stack, logical_id, Some(attribute));
            }
        }
        Expr::Sub(template) if template.contains(FOREIGN_SEPARATOR) => {
            let mut join = sub_to_join(template);
            rewrite_foreign(&mut join, import);
            *expr = join;
        }
        Expr::List(items) | Expr::Join(_, items) => {
            items.iter_mut().for_each(|i| rewrite_foreign(i, import));
        }
        Expr::Map(entries) => entries
            .iter_mut()
            .for_each(|(_, v)| rewrite_foreign(v, import)),
        Expr::ImportValue(e) | Expr::Select(_, e) | Expr::Split(_, e) | Expr::GetAzs(e) => {
            rewrite_foreign(e, import);
        }
        Expr::Sub(_)
        | Expr::Str(_)
        | Expr::Int(_)
        | Expr::Num(_)
        | Expr::Bool(_)
        | Expr::Json(_) => {}
    }
}

/// An `Fn::Sub` template as the equivalent `Fn::Join`, so that placeholders can become
/// other intrinsics (`Fn::ImportValue` cannot appear inside a `Fn::Sub` string).
fn sub_to_join(template: &str) -> Expr {
    let parts = sub::parse(template)
        .parts
        .into_iter()
        .map(|part| match part {
            Part::Literal(text) => Expr::Str(text),
            Part::Placeholder(name) => match name.split_once('.') {
                Some((id, attribute)) if !id.starts_with("AWS::") => {
                    Expr::GetAtt(id.to_owned(), attribute.to_owned())
                }
                _ => Expr::Ref(name.to_owned()),
            },
        })
        .collect();
    Expr::Join(String::new(), parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_with_foreign_placeholders_becomes_a_join() {
        let join = sub_to_join("arn:${AWS::Partition}:x:${Net/Vpc.VpcId}/${!lit}");
        assert_eq!(
            join,
            Expr::Join(
                String::new(),
                vec![
                    Expr::Str("arn:".into()),
                    Expr::Ref("AWS::Partition".into()),
                    Expr::Str(":x:".into()),
                    Expr::GetAtt("Net/Vpc".into(), "VpcId".into()),
                    Expr::Str("/${lit}".into()),
                ]
            )
        );
    }
}
