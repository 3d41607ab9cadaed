//! EventBridge: custom event buses ([`EventBus`]) and rules ([`Rule`]) that match events
//! or run on a schedule, delivering to functions, queues, topics and state machines
//! ([`RuleTarget`]), each target with the permission it needs.

mod bus;
mod pattern;
mod rule;
mod schedule;
mod target;

pub use bus::{EventBus, EventBusProps};
pub use pattern::EventPattern;
pub use rule::{Rule, RuleProps};
pub use schedule::Schedule;
pub use target::{IntoRuleTarget, RuleTarget};

#[cfg(test)]
mod tests;
