//! The constructs agree with their entries in `stack_spec::catalog`, the facts `stack!`
//! checks blocks against: every option the catalog lists has a setter taking the type it
//! gives, every attribute a method and every grant a `grant_*` method, and principals
//! hold policies. A fact the code lacks fails the build here, not a test.

use super::prelude::*;
use super::{GatewayEndpoint, SecretValue};
use crate::iam::Statement;
use crate::resource::RemovalPolicy;
use crate::{kind, Arn, Id, Value};

stack_macros::__catalog_agreement!();
