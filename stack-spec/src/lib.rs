//! The facts both sides of the `stack!` macro boundary need, written once.
//!
//! The macro checks literals at compile time and `stack-core` checks the same values at
//! synth time, so both call the same code here:
//!
//! - [`catalog`]: the constructs `stack!` knows, with their options, attributes and grants;
//! - [`rules`]: what CloudFormation and the services accept for an option's value
//!   (bucket names, Lambda memory and timeouts, HTTP methods, CIDR ranges, ports...);
//! - [`logical_id`]: how declared names become logical IDs;
//! - [`sub`]: the `${...}` placeholders of an `Fn::Sub` template;
//! - [`suggest`]: "did you mean" suggestions;
//! - with the `index` feature, `cfn_index` (the CloudFormation schema index) and
//!   `iam_actions` (every IAM action).

#![warn(missing_docs)]

pub mod catalog;
#[cfg(feature = "index")]
pub mod cfn_index;
#[cfg(feature = "index")]
pub mod iam_actions;
pub mod logical_id;
pub mod rules;
pub mod sub;
pub mod suggest;
