//! Networking: [`Vpc`], public and private subnets over several availability zones with
//! NAT and optional gateway endpoints, and [`SecurityGroup`] with ingress and egress rules.

mod cidr;
mod gateway_endpoint;
mod rule;
mod security_group;
mod subnets;
mod vpc;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

pub use gateway_endpoint::GatewayEndpoint;
pub use rule::{Peer, Port, SecurityGroupRule};
pub use security_group::{SecurityGroup, SecurityGroupProps};
pub use vpc::{Vpc, VpcProps};

pub(super) use rule::Direction;
pub(super) use security_group::{add_group_rule, allow_all_egress, egress_rule, ingress_rule};

/// What a construct learns while it is built and its attributes need afterwards (how
/// many subnets a VPC has, for instance).
///
/// Handles are declared before anything is built, so an attribute can be read too early
/// (in a `let`, or by a resource declared above the construct). Such a read is recorded,
/// and the construct reports it when it is built instead of leaving a dangling reference.
#[derive(Debug)]
pub(super) struct Built<T> {
    value: OnceLock<T>,
    read_early: AtomicBool,
}

impl<T> Default for Built<T> {
    fn default() -> Self {
        Self {
            value: OnceLock::new(),
            read_early: AtomicBool::new(false),
        }
    }
}

impl<T> Built<T> {
    /// The built state, or `None` (recorded as an early read) before the build.
    pub(super) fn get(&self) -> Option<&T> {
        let value = self.value.get();
        if value.is_none() {
            self.read_early.store(true, Ordering::Relaxed);
        }
        value
    }

    /// Stores the state once built. Returns whether an attribute was read before, or
    /// `Err` when the construct was already built.
    pub(super) fn set(&self, value: T) -> Result<bool, ()> {
        self.value.set(value).map_err(|_| ())?;
        Ok(self.read_early.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod test_support {
    //! What the VPC and security group tests share.
    use crate::stack::StackBuilder;
    use serde_json::Value as Json;

    pub(super) fn build(f: impl FnOnce(&mut StackBuilder)) -> Result<Json, Vec<String>> {
        let mut stack = StackBuilder::new("Test");
        f(&mut stack);
        stack
            .finish()
            .map(|s| s.template.to_json()["Resources"].clone())
            .map_err(|e| e.problems)
    }

    pub(super) fn ok(f: impl FnOnce(&mut StackBuilder)) -> Json {
        build(f).unwrap_or_else(|problems| panic!("{problems:#?}"))
    }

    pub(super) fn ids_of_type<'a>(r: &'a Json, type_name: &str) -> Vec<&'a str> {
        r.as_object()
            .map(|m| {
                m.iter()
                    .filter(|(_, v)| v["Type"] == type_name)
                    .map(|(k, _)| k.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }
}
