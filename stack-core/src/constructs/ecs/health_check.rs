//! How the load balancer decides that a task is healthy.

use crate::constructs::Duration;
use crate::value::{IntoValue, Value};

/// How the load balancer decides that a task is healthy. Every field is optional.
#[derive(Clone, Debug, Default)]
pub struct HealthCheck {
    pub(super) path: Option<Value<String>>,
    pub(super) healthy_http_codes: Option<Value<String>>,
    pub(super) interval: Option<Duration>,
    pub(super) timeout: Option<Duration>,
    pub(super) healthy_threshold_count: Option<u32>,
    pub(super) unhealthy_threshold_count: Option<u32>,
}

impl HealthCheck {
    /// The path requested, `/` when unset (Streamlit answers on `/_stcore/health`).
    #[must_use]
    pub fn path(mut self, path: impl IntoValue<String>) -> Self {
        self.path = Some(path.into_value());
        self
    }

    /// Status codes that mean healthy: `"200"`, `"200-299"`, `"200,302"`; `200` when unset.
    #[must_use]
    pub fn healthy_http_codes(mut self, codes: impl IntoValue<String>) -> Self {
        self.healthy_http_codes = Some(codes.into_value());
        self
    }

    /// Time between checks, 5 to 300 seconds; 30 when unset.
    #[must_use]
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = Some(interval);
        self
    }

    /// How long a check may take, 2 to 120 seconds and less than `interval`; 5 when unset.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Consecutive successes before a task counts as healthy, 2 to 10; 5 when unset.
    #[must_use]
    pub fn healthy_threshold_count(mut self, count: u32) -> Self {
        self.healthy_threshold_count = Some(count);
        self
    }

    /// Consecutive failures before a task counts as unhealthy, 2 to 10; 2 when unset.
    #[must_use]
    pub fn unhealthy_threshold_count(mut self, count: u32) -> Self {
        self.unhealthy_threshold_count = Some(count);
        self
    }
}
