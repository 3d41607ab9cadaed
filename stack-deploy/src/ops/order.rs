//! The one place that decides in which order stacks are deployed and destroyed.
//!
//! Today an [`App`] lists its stacks without dependencies, so the order is the app's: the
//! order stacks were added in, reversed for `destroy`. When `App` learns its dependency
//! graph (cross-stack exports), only this module changes: dependencies first on deploy,
//! dependants first on destroy, and `--exclusively` decides whether the dependencies of a
//! named stack are deployed too.

use stack_core::{App, Stack};

/// The stacks to deploy, in the order to deploy them: every dependency before the stacks
/// that use it. Without `exclusively`, the dependencies of the selected stacks are added.
pub(crate) fn deploy_order<'a>(
    app: &'a App,
    selected: &[&'a dyn Stack],
    exclusively: bool,
) -> Vec<&'a dyn Stack> {
    // No dependencies are known yet, so there is nothing to add for `exclusively` to skip.
    let _ = exclusively;
    app.stacks()
        .filter(|stack| {
            selected
                .iter()
                .any(|s| s.stack_name() == stack.stack_name())
        })
        .collect()
}

/// The stacks to destroy, in the order to destroy them: every stack before the stacks it
/// depends on.
pub(crate) fn destroy_order<'a>(app: &'a App, selected: &[&'a dyn Stack]) -> Vec<&'a dyn Stack> {
    let mut order = deploy_order(app, selected, true);
    order.reverse();
    order
}
