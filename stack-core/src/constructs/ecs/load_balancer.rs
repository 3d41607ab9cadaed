//! The load balancer in front of a service: its security groups, target group and
//! listeners.

use super::props::ApplicationLoadBalancedFargateServiceProps;
use super::{seconds, ApplicationLoadBalancedFargateService};
use crate::aws;
use crate::aws::elasticloadbalancingv2::{listener, target_group};
use crate::constructs::ec2::{
    add_group_rule, allow_all_egress, egress_rule, ingress_rule, Direction, Peer, Port,
};
use crate::constructs::Vpc;
use crate::stack::StackBuilder;
use crate::value::{IntoValue, Value};

/// The TLS policy of HTTPS listeners: TLS 1.3 and 1.2 with forward secrecy only, what
/// AWS recommends for new load balancers.
const SSL_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

impl ApplicationLoadBalancedFargateService {
    /// The load balancer's group (open on the listener ports, reaching only the tasks) and
    /// the tasks' group (admitting only the load balancer). The load balancer's egress is
    /// inline and the tasks' ingress separate, so the two groups never form a cycle.
    pub(super) fn add_security_groups(
        &self,
        stack: &mut StackBuilder,
        path: &str,
        vpc: &Vpc,
        props: &ApplicationLoadBalancedFargateServiceProps,
        listener_ports: &[u16],
    ) {
        let ids = &self.ids;
        let container_port = Port::tcp(props.container_port);
        let clients = Peer::ipv4(if props.public_load_balancer {
            Value::lit("0.0.0.0/0")
        } else {
            vpc.cidr_block()
        });
        let ingress = listener_ports
            .iter()
            .map(|port| {
                ingress_rule(
                    &clients,
                    Port::tcp(*port),
                    Value::lit(format!("clients on port {port}")),
                )
            })
            .collect();
        let tasks = Peer::security_group(self.security_group_id());
        stack.add_resource(
            &ids.load_balancer_security_group,
            &aws::ec2::SecurityGroup {
                group_description: Some(Value::lit(format!("{path}/LoadBalancer"))),
                security_group_egress: Some(vec![egress_rule(
                    &tasks,
                    container_port,
                    Value::lit("to the service's tasks"),
                )]),
                security_group_ingress: Some(ingress),
                vpc_id: Some(vpc.vpc_id()),
                ..Default::default()
            },
        );
        stack.add_resource(
            &ids.security_group,
            &aws::ec2::SecurityGroup {
                group_description: Some(Value::lit(format!("{path}/Tasks"))),
                security_group_egress: Some(vec![allow_all_egress()]),
                vpc_id: Some(vpc.vpc_id()),
                ..Default::default()
            },
        );
        add_group_rule(
            stack,
            ids.security_group_ingress.clone(),
            Direction::Ingress,
            self.security_group_id(),
            self.load_balancer_security_group_id(),
            container_port,
            Value::lit("from the load balancer"),
        );
    }

    pub(super) fn add_target_group(
        &self,
        stack: &mut StackBuilder,
        vpc: &Vpc,
        props: &ApplicationLoadBalancedFargateServiceProps,
    ) {
        let ids = &self.ids;
        let check = &props.health_check;
        let mut attributes = Vec::new();
        let mut attribute = |key: &str, value: String| {
            attributes.push(target_group::TargetGroupAttribute {
                key: Some(Value::lit(key)),
                value: Some(Value::lit(value)),
            });
        };
        if let Some(delay) = props.deregistration_delay {
            attribute(
                "deregistration_delay.timeout_seconds",
                delay.as_seconds().to_string(),
            );
        }
        if let Some(duration) = props.sticky_sessions {
            attribute("stickiness.enabled", "true".to_owned());
            attribute("stickiness.type", "lb_cookie".to_owned());
            attribute(
                "stickiness.lb_cookie.duration_seconds",
                duration.as_seconds().to_string(),
            );
        }
        let count = |count: Option<u32>| -> Option<Value<i64>> { count.map(IntoValue::into_value) };
        let target_group = aws::elasticloadbalancingv2::TargetGroup {
            health_check_enabled: Some(true.into_value()),
            health_check_interval_seconds: check.interval.map(|i| seconds(i).into_value()),
            health_check_path: Some(check.path.clone().unwrap_or_else(|| Value::lit("/"))),
            health_check_timeout_seconds: check.timeout.map(|t| seconds(t).into_value()),
            healthy_threshold_count: count(check.healthy_threshold_count),
            matcher: check
                .healthy_http_codes
                .clone()
                .map(|codes| target_group::Matcher {
                    http_code: Some(codes),
                    ..Default::default()
                }),
            port: Some(props.container_port.into_value()),
            protocol: Some(Value::lit("HTTP")),
            target_group_attributes: (!attributes.is_empty()).then_some(attributes),
            target_type: Some(Value::lit("ip")),
            unhealthy_threshold_count: count(check.unhealthy_threshold_count),
            vpc_id: Some(vpc.vpc_id()),
            ..Default::default()
        };
        stack.add_resource(&ids.target_group, &target_group);
    }

    pub(super) fn add_listeners(
        &self,
        stack: &mut StackBuilder,
        props: &ApplicationLoadBalancedFargateServiceProps,
    ) {
        let ids = &self.ids;
        let forward = vec![listener::Action {
            r#type: Some(Value::lit("forward")),
            target_group_arn: Some(self.target_group_arn()),
            ..Default::default()
        }];
        let load_balancer = Some(self.load_balancer_arn());
        match &props.certificate {
            Some(certificate) => {
                stack.add_resource(
                    &ids.listener,
                    &aws::elasticloadbalancingv2::Listener {
                        certificates: Some(vec![listener::Certificate {
                            certificate_arn: Some(certificate.into_value()),
                        }]),
                        default_actions: Some(forward),
                        load_balancer_arn: load_balancer.clone(),
                        port: Some(443_i64.into_value()),
                        protocol: Some(Value::lit("HTTPS")),
                        ssl_policy: Some(Value::lit(SSL_POLICY)),
                        ..Default::default()
                    },
                );
                if props.redirect_http {
                    let redirect = listener::Action {
                        r#type: Some(Value::lit("redirect")),
                        redirect_config: Some(listener::RedirectConfig {
                            port: Some(Value::lit("443")),
                            protocol: Some(Value::lit("HTTPS")),
                            status_code: Some(Value::lit("HTTP_301")),
                            ..Default::default()
                        }),
                        ..Default::default()
                    };
                    stack.add_resource(
                        &ids.redirect_listener,
                        &aws::elasticloadbalancingv2::Listener {
                            default_actions: Some(vec![redirect]),
                            load_balancer_arn: load_balancer,
                            port: Some(80_i64.into_value()),
                            protocol: Some(Value::lit("HTTP")),
                            ..Default::default()
                        },
                    );
                }
            }
            None => {
                stack.add_resource(
                    &ids.listener,
                    &aws::elasticloadbalancingv2::Listener {
                        default_actions: Some(forward),
                        load_balancer_arn: load_balancer,
                        port: Some(80_i64.into_value()),
                        protocol: Some(Value::lit("HTTP")),
                        ..Default::default()
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{ok, props};
    use super::*;
    use crate::constructs::{Certificate, CertificateProps, Construct, VpcProps};
    use serde_json::{json, Value as Json};

    #[test]
    fn https_listener_redirects_http_and_uses_a_modern_tls_policy() {
        let vpc = Vpc::declare("Network");
        let web = ApplicationLoadBalancedFargateService::declare("Web");
        let cert = Certificate::declare("Cert");
        let r = ok(|stack| {
            vpc.build(VpcProps::default().nat_gateways(1), stack);
            cert.build(
                CertificateProps::default()
                    .domain_name("app.example.com")
                    .hosted_zone_id("Z0123456789ABC"),
                stack,
            );
            web.build(props(&vpc).certificate(&cert), stack);
        });
        assert_eq!(
            r["WebListener"]["Properties"]["Certificates"],
            json!([{"CertificateArn": {"Ref": "Cert"}}])
        );
        assert_eq!(r["WebListener"]["Properties"]["Port"], 443);
        assert_eq!(r["WebListener"]["Properties"]["SslPolicy"], SSL_POLICY);
        assert_eq!(
            r["WebHttpRedirectListener"]["Properties"]["DefaultActions"][0]["RedirectConfig"],
            json!({"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"})
        );
        let ports: Vec<&Json> = r["WebLoadBalancerSecurityGroup"]["Properties"]
            ["SecurityGroupIngress"]
            .as_array()
            .map(|a| a.iter().map(|rule| &rule["FromPort"]).collect())
            .unwrap_or_default();
        assert_eq!(ports, [&json!(443), &json!(80)]);
        assert_eq!(
            r["Web"]["DependsOn"],
            json!(["WebListener", "NetworkPrivateDefaultRoute1"])
        );
        assert_eq!(
            web.url().expr().to_json(),
            json!({"Fn::Sub": "https://${WebLoadBalancer.DNSName}"})
        );
    }
}
