//! AWS Step Functions: [`StateMachine`], its states built in Rust ([`Definition`] of
//! [`LambdaInvoke`], [`Pass`], [`Wait`], [`Choice`] with [`Condition`]s, [`Parallel`],
//! [`Map`], [`Succeed`] and [`Fail`]), rendered to Amazon States Language, with a role
//! allowed to invoke exactly the functions its tasks call.
//!
//! States are named by strings and name their successors by name, as in the States
//! Language, so a definition reads like the graph it is. The graph is checked by
//! `stack_spec::rules::stepfunctions::graph`: by `stack!` at compile time when the
//! definition is a chain of these calls with literal names, and here, whatever the
//! definition, when the stack is synthesized.

mod condition;
mod definition;
mod state;
mod state_machine;

pub use condition::{Condition, Numeric};
pub use definition::Definition;
pub use state::{
    Catch, Choice, Fail, IntoState, LambdaInvoke, Map, Parallel, Pass, Retry, State, Succeed, Wait,
    WaitTime,
};
pub use state_machine::{LogLevel, StateMachine, StateMachineProps, StateMachineType};

#[cfg(test)]
mod tests;
