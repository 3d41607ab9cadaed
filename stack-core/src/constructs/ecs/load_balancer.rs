//! The load balancer in front of a service: its security groups, target group and
//! listeners.

use super::props::ApplicationLoadBalancedFargateServiceProps;
use super::{seconds, ApplicationLoadBalancedFargateService};
use crate::constructs::ec2::{group_rule, Direction, Port};
use crate::constructs::{lit, obj, Vpc};
use crate::expr::Expr;
use crate::stack::StackBuilder;
use crate::template::ResourceDecl;
use crate::value::Value;

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
        let clients = if props.public_load_balancer {
            lit("0.0.0.0/0")
        } else {
            vpc.cidr_block().into_expr()
        };
        let ingress = listener_ports
            .iter()
            .map(|port| {
                let mut rule = vec![
                    ("CidrIp".to_owned(), clients.clone()),
                    (
                        "Description".to_owned(),
                        lit(&format!("clients on port {port}")),
                    ),
                ];
                rule.extend(Port::tcp(*port).fields());
                Expr::Map(rule)
            })
            .collect();
        let mut egress = vec![
            (
                "DestinationSecurityGroupId".to_owned(),
                Expr::GetAtt(ids.security_group.clone(), "GroupId".into()),
            ),
            ("Description".to_owned(), lit("to the service's tasks")),
        ];
        egress.extend(container_port.fields());
        stack.add(
            &ids.load_balancer_security_group,
            ResourceDecl::new(
                "AWS::EC2::SecurityGroup",
                obj([
                    ("GroupDescription", lit(&format!("{path}/LoadBalancer"))),
                    ("VpcId", vpc.vpc_id().into_expr()),
                    ("SecurityGroupIngress", Expr::List(ingress)),
                    ("SecurityGroupEgress", Expr::List(vec![Expr::Map(egress)])),
                ]),
            ),
        );
        stack.add(
            &ids.security_group,
            ResourceDecl::new(
                "AWS::EC2::SecurityGroup",
                obj([
                    ("GroupDescription", lit(&format!("{path}/Tasks"))),
                    ("VpcId", vpc.vpc_id().into_expr()),
                    (
                        "SecurityGroupEgress",
                        Expr::List(vec![obj([
                            ("CidrIp", lit("0.0.0.0/0")),
                            ("Description", lit("Allow all outbound traffic")),
                            ("IpProtocol", lit("-1")),
                        ])]),
                    ),
                ]),
            ),
        );
        stack.add(
            &ids.security_group_ingress,
            group_rule(
                Direction::Ingress,
                Expr::GetAtt(ids.security_group.clone(), "GroupId".into()),
                Expr::GetAtt(ids.load_balancer_security_group.clone(), "GroupId".into()),
                container_port,
                Value::lit("from the load balancer"),
            ),
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
        let mut p = vec![
            ("TargetType".to_owned(), lit("ip")),
            ("Protocol".to_owned(), lit("HTTP")),
            (
                "Port".to_owned(),
                Expr::Int(i64::from(props.container_port)),
            ),
            ("VpcId".to_owned(), vpc.vpc_id().into_expr()),
            ("HealthCheckEnabled".to_owned(), Expr::Bool(true)),
            (
                "HealthCheckPath".to_owned(),
                check
                    .path
                    .clone()
                    .map_or_else(|| lit("/"), Value::into_expr),
            ),
        ];
        if let Some(interval) = check.interval {
            p.push((
                "HealthCheckIntervalSeconds".to_owned(),
                Expr::Int(seconds(interval)),
            ));
        }
        if let Some(timeout) = check.timeout {
            p.push((
                "HealthCheckTimeoutSeconds".to_owned(),
                Expr::Int(seconds(timeout)),
            ));
        }
        if let Some(count) = check.healthy_threshold_count {
            p.push(("HealthyThresholdCount".to_owned(), Expr::Int(count.into())));
        }
        if let Some(count) = check.unhealthy_threshold_count {
            p.push((
                "UnhealthyThresholdCount".to_owned(),
                Expr::Int(count.into()),
            ));
        }
        if let Some(codes) = check.healthy_http_codes.clone() {
            p.push(("Matcher".to_owned(), obj([("HttpCode", codes.into_expr())])));
        }
        let mut attributes = Vec::new();
        let mut attribute = |key: &str, value: String| {
            attributes.push(obj([("Key", lit(key)), ("Value", Expr::Str(value))]));
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
        if !attributes.is_empty() {
            p.push(("TargetGroupAttributes".to_owned(), Expr::List(attributes)));
        }
        stack.add(
            &ids.target_group,
            ResourceDecl::new("AWS::ElasticLoadBalancingV2::TargetGroup", Expr::Map(p)),
        );
    }

    pub(super) fn add_listeners(
        &self,
        stack: &mut StackBuilder,
        props: &ApplicationLoadBalancedFargateServiceProps,
    ) {
        let ids = &self.ids;
        let forward = Expr::List(vec![obj([
            ("Type", lit("forward")),
            ("TargetGroupArn", Expr::Ref(ids.target_group.clone())),
        ])]);
        let load_balancer = Expr::Ref(ids.load_balancer.clone());
        match &props.certificate {
            Some(certificate) => {
                stack.add(
                    &ids.listener,
                    ResourceDecl::new(
                        "AWS::ElasticLoadBalancingV2::Listener",
                        obj([
                            ("LoadBalancerArn", load_balancer.clone()),
                            ("Port", Expr::Int(443)),
                            ("Protocol", lit("HTTPS")),
                            ("SslPolicy", lit(SSL_POLICY)),
                            (
                                "Certificates",
                                Expr::List(vec![obj([(
                                    "CertificateArn",
                                    certificate.expr().clone(),
                                )])]),
                            ),
                            ("DefaultActions", forward),
                        ]),
                    ),
                );
                if props.redirect_http {
                    stack.add(
                        &ids.redirect_listener,
                        ResourceDecl::new(
                            "AWS::ElasticLoadBalancingV2::Listener",
                            obj([
                                ("LoadBalancerArn", load_balancer),
                                ("Port", Expr::Int(80)),
                                ("Protocol", lit("HTTP")),
                                (
                                    "DefaultActions",
                                    Expr::List(vec![obj([
                                        ("Type", lit("redirect")),
                                        (
                                            "RedirectConfig",
                                            obj([
                                                ("Protocol", lit("HTTPS")),
                                                ("Port", lit("443")),
                                                ("StatusCode", lit("HTTP_301")),
                                            ]),
                                        ),
                                    ])]),
                                ),
                            ]),
                        ),
                    );
                }
            }
            None => {
                stack.add(
                    &ids.listener,
                    ResourceDecl::new(
                        "AWS::ElasticLoadBalancingV2::Listener",
                        obj([
                            ("LoadBalancerArn", load_balancer),
                            ("Port", Expr::Int(80)),
                            ("Protocol", lit("HTTP")),
                            ("DefaultActions", forward),
                        ]),
                    ),
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
