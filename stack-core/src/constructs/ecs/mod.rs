//! Containers on ECS: [`ApplicationLoadBalancedFargateService`], a Fargate service in a
//! [`Vpc`](crate::constructs::Vpc)'s private subnets behind a public Application Load Balancer,
//! and [`Cluster`], a cluster such services can share.

mod auto_scaling;
mod cluster;
mod health_check;
mod image;
mod load_balancer;
mod props;
mod service;
mod task_definition;

pub use auto_scaling::TaskAutoScaling;
pub use cluster::{Cluster, ClusterProps};
pub use health_check::HealthCheck;
pub use image::ContainerImage;
pub use props::ApplicationLoadBalancedFargateServiceProps;
pub use service::ApplicationLoadBalancedFargateService;

use crate::constructs::Duration;

fn seconds(duration: Duration) -> i64 {
    i64::try_from(duration.as_seconds()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod test_support {
    //! What the Fargate service tests share.
    use super::{ApplicationLoadBalancedFargateServiceProps, ContainerImage};
    use crate::constructs::Vpc;
    use crate::stack::StackBuilder;
    use serde_json::Value as Json;

    pub(super) const IMAGE: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web:1.2";

    pub(super) fn synth(f: impl FnOnce(&mut StackBuilder)) -> Result<Json, Vec<String>> {
        let mut stack = StackBuilder::new("Test");
        f(&mut stack);
        stack
            .finish()
            .map(|s| s.template.to_json()["Resources"].clone())
            .map_err(|e| e.problems)
    }

    pub(super) fn ok(f: impl FnOnce(&mut StackBuilder)) -> Json {
        synth(f).unwrap_or_else(|problems| panic!("{problems:#?}"))
    }

    pub(super) fn props(vpc: &Vpc) -> ApplicationLoadBalancedFargateServiceProps {
        ApplicationLoadBalancedFargateServiceProps::default()
            .vpc(vpc)
            .image(ContainerImage::from_registry(IMAGE))
    }

    pub(super) fn statements(r: &Json, role: &str) -> Json {
        r[role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].clone()
    }
}
