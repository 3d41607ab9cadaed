//! `Cluster` agrees with the macro's catalog: every option and attribute builds, Fargate
//! services given `cluster:` run in it without a cluster of their own, and the template
//! lints clean. A `Role` for the cluster's tasks shows the source conditions `Principals`
//! takes against the confused-deputy problem.

use serde_json::{json, Value as Json};
use stack_core::prelude::*;

stack! {
    /// Two Fargate services sharing one cluster, a third with its own.
    pub stack Clustered {
        resource network: Vpc { max_azs: 2, nat_gateways: 1 }
        resource apps: Cluster {
            cluster_name: "clustered-apps",
            container_insights: true,
            enable_fargate_capacity_providers: true,
        }
        resource web: ApplicationLoadBalancedFargateService {
            vpc: network,
            cluster: apps,
            image: ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27"),
        }
        resource admin: ApplicationLoadBalancedFargateService {
            vpc: network,
            cluster: apps.cluster_name,
            image: ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27"),
        }
        resource solo: ApplicationLoadBalancedFargateService {
            vpc: network,
            image: ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27"),
        }
        resource batch_role: Role {
            description: "for tasks run in the cluster outside the services",
            assumed_by: Principals {
                services: ["ecs-tasks.amazonaws.com"],
                source_account: true,
                source_arn: sub!("arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*"),
            },
        }
        output apps_name = apps.cluster_name;
        output apps_arn = apps.cluster_arn;
        output web_cluster = web.cluster_name;
    }
}

stack! {
    /// A cluster with every default.
    pub stack Plain {
        resource apps: Cluster {}
    }
}

fn template() -> Json {
    let stack = Clustered::new("Clustered");
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    synthesized.template.to_json()
}

#[test]
fn services_given_the_cluster_run_in_it() {
    let template = template();
    let r = &template["Resources"];
    assert_eq!(
        r["Apps"],
        json!({"Type": "AWS::ECS::Cluster", "Properties": {
            "CapacityProviders": ["FARGATE", "FARGATE_SPOT"],
            "ClusterName": "clustered-apps",
            "ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]
        }})
    );
    for service in ["Web", "Admin"] {
        assert_eq!(
            r[service]["Properties"]["Cluster"],
            json!({"Ref": "Apps"}),
            "{service}"
        );
        assert!(r.get(format!("{service}Cluster")).is_none(), "{service}");
    }
    // Without `cluster`, a service still creates its own.
    assert_eq!(
        r["Solo"]["Properties"]["Cluster"],
        json!({"Ref": "SoloCluster"})
    );
    assert_eq!(r["SoloCluster"]["Type"], "AWS::ECS::Cluster");
    let clusters = r.as_object().map_or(0, |m| {
        m.values()
            .filter(|v| v["Type"] == "AWS::ECS::Cluster")
            .count()
    });
    assert_eq!(clusters, 2);

    let outputs = &template["Outputs"];
    assert_eq!(outputs["AppsName"]["Value"], json!({"Ref": "Apps"}));
    assert_eq!(
        outputs["AppsArn"]["Value"],
        json!({"Fn::GetAtt": ["Apps", "Arn"]})
    );
    assert_eq!(outputs["WebCluster"]["Value"], json!({"Ref": "Apps"}));
}

#[test]
fn roles_trust_ecs_only_for_this_accounts_tasks() {
    let template = template();
    let r = &template["Resources"];
    let trust = json!([{
        "Effect": "Allow",
        "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": {
            "ArnLike": {"aws:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*"}},
            "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
        }
    }]);
    // The user's role, and the task roles the services make for themselves.
    for role in ["BatchRole", "WebTaskRole", "SoloTaskRole"] {
        assert_eq!(
            r[role]["Properties"]["AssumeRolePolicyDocument"]["Statement"], trust,
            "{role}"
        );
    }
    // Execution roles trust ECS without conditions.
    for role in ["WebExecutionRole", "SoloExecutionRole"] {
        assert_eq!(
            r[role]["Properties"]["AssumeRolePolicyDocument"]["Statement"],
            json!([{
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole"
            }]),
            "{role}"
        );
    }
}

#[test]
fn a_plain_cluster_has_container_insights() {
    let stack = Plain::new("Plain");
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        synthesized.template.to_json()["Resources"]["Apps"]["Properties"],
        json!({"ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]})
    );
    tests::assert_lint_clean(&stack);
}

#[test]
fn clustered_is_lint_clean() {
    tests::assert_lint_clean(&Clustered::new("Clustered"));
}
