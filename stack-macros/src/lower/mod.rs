//! Lowering each declaration of a block to Rust, after its checks.

pub(crate) mod attrs;
pub(crate) mod common;
pub(crate) mod construct;
pub(crate) mod grant;
pub(crate) mod json;
pub(crate) mod l1;
pub(crate) mod loops;
pub(crate) mod output;
pub(crate) mod overrides;
pub(crate) mod param;
pub(crate) mod resource;
pub(crate) mod secrets;
pub(crate) mod stack_env;

pub(crate) use grant::lower_grant;
pub(crate) use loops::lower_loop;
pub(crate) use output::lower_output;
pub(crate) use overrides::lower_override;
pub(crate) use param::lower_param;
pub(crate) use resource::lower_resource;
pub(crate) use stack_env::lower_env;
