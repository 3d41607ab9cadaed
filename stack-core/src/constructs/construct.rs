//! The protocol every construct follows: what `stack!` expands a construct's
//! declaration to, and what it checks at compile time.

use crate::stack::StackBuilder;

/// A higher-level building block that `stack!` declares with `resource name: Type { ... }`.
///
/// The constructs of this module implement it, and so can any type of any crate: a
/// `stack!` block declares it like a built-in one (see "Writing your own construct" in
/// the language reference).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a construct",
    label = "a resource type is a CloudFormation type such as `AWS::S3::Bucket`, or a construct: a type implementing `stack_core::constructs::Construct`"
)]
pub trait Construct: Sized {
    /// The construct's options; the macro builds them as `Props::default().field(value)...`.
    type Props: Default;

    /// A handle from the logical ID the user wrote (UpperCamelCase of the declared name).
    /// Cheap: no props needed, so declarations can reference each other in any order.
    fn declare(logical_id: &str) -> Self;

    /// The logical ID of the primary resource (the user's logical ID; children get
    /// `<Id><Suffix>`, e.g. `PhotosFuncServiceRole`).
    fn logical_id(&self) -> &str;

    /// Adds the construct's resources to the stack.
    fn build(&self, props: Self::Props, stack: &mut StackBuilder);

    /// This construct as seen from another stack of the app, its logical IDs prefixed
    /// with `prefix` (`<Stack>/`), so references to it become imports. A fresh handle
    /// unless the construct's handle learns something while it is built (the role a
    /// function runs as).
    fn in_other_stack(&self, prefix: &str) -> Self {
        Self::declare(&format!("{prefix}{}", self.logical_id()))
    }
}

/// How `stack!` names a declared construct type: implemented for every [`Construct`]
/// and for nothing else, so that a type that is no construct is reported as such, without
/// the list of every construct rustc would show for `Construct` itself.
#[doc(hidden)]
pub trait ConstructType {
    /// The type itself.
    type Construct: Construct;
}

#[diagnostic::do_not_recommend]
impl<T: Construct> ConstructType for T {
    type Construct = T;
}

/// What `stack!` checks about a construct's options that the compiler cannot see by
/// itself: which ones a block must set. `#[derive(ConstructProps)]` writes it, and the
/// options' setters, from the props struct's fields.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not say which of its options are required",
    label = "derive it: `#[derive(Default, ConstructProps)]` on the props struct",
    note = "`stack!` checks the required options of constructs outside `stack_core` through `ConstructProps`"
)]
pub trait ConstructProps: Default {
    /// Every option's name.
    const OPTIONS: &'static [&'static str];
    /// The options a block must set.
    const REQUIRED: &'static [RequiredOption];
}

/// One option a block must set, with the error a block that leaves it out gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequiredOption {
    /// The option's name, which is also its setter's.
    pub name: &'static str,
    /// The compile error for a block that leaves it out.
    pub missing: &'static str,
}

/// The message of the first option in `P::REQUIRED` that `set` lacks, if any; `stack!`
/// evaluates it in a constant, so a missing option is a compile error on the block.
///
/// A block that sets an option `P` does not have is left to the compiler, which reports
/// the unknown setter with the name it was probably meant to be, so a misspelt required
/// option is not reported missing as well.
pub const fn missing_option<P: ConstructProps>(set: &[&str]) -> Option<&'static str> {
    let mut j = 0;
    while j < set.len() {
        if !contains(P::OPTIONS, set[j]) {
            return None;
        }
        j += 1;
    }
    let required = P::REQUIRED;
    let mut i = 0;
    while i < required.len() {
        if !contains(set, required[i].name) {
            return Some(required[i].missing);
        }
        i += 1;
    }
    None
}

/// Whether `names` holds `name`, in a constant.
const fn contains(names: &[&str], name: &str) -> bool {
    let mut i = 0;
    while i < names.len() {
        if str_eq(names[i], name) {
            return true;
        }
        i += 1;
    }
    false
}

/// String equality in a constant.
const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    // The required-option check that `stack!` runs in a constant.
    use super::*;

    #[derive(Default)]
    struct Props;

    impl ConstructProps for Props {
        const OPTIONS: &'static [&'static str] = &["domain_name", "zone", "x"];
        const REQUIRED: &'static [RequiredOption] = &[
            RequiredOption {
                name: "domain_name",
                missing: "missing domain_name",
            },
            RequiredOption {
                name: "zone",
                missing: "missing zone",
            },
        ];
    }

    #[test]
    fn the_first_missing_option_is_named() {
        assert_eq!(
            missing_option::<Props>(&["zone"]),
            Some("missing domain_name")
        );
        assert_eq!(
            missing_option::<Props>(&["domain_name"]),
            Some("missing zone")
        );
        assert_eq!(missing_option::<Props>(&["zone", "domain_name", "x"]), None);
        assert_eq!(
            missing_option::<Props>(&["zone", "domain_nme"]),
            None,
            "an unknown option is the compiler's to report"
        );
        const MISSING: Option<&str> = missing_option::<Props>(&[]);
        assert_eq!(MISSING, Some("missing domain_name"));
    }
}
