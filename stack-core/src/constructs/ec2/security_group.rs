//! [`SecurityGroup`]: a security group in a VPC, with its inline and separate rules.

use super::cidr::Ipv4Cidr;
use super::rule::{Direction, Peer, PeerKind, Port, SecurityGroupRule};
use crate::aws;
use crate::aws::ec2::security_group;
use crate::constructs::{literal_str, Construct};
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Id, IntoValue, Value};

/// A security group in a VPC, with ingress and egress rules.
///
/// Rules whose peer is a range or a prefix list are inline. Rules whose peer is a
/// security group are separate resources, `<Id>From<Peer><Port>` (ingress) and
/// `<Id>To<Peer><Port>` (egress), so two groups can admit each other without a
/// dependency cycle.
///
/// With `allow_all_outbound` (the default, as in CDK) the group may reach anything;
/// without it, only its `egress` rules, and nothing at all when there are none (EC2
/// would otherwise add an allow-all rule).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityGroup {
    id: String,
}

/// Options of a [`SecurityGroup`]. `vpc` is required.
#[derive(Clone, Debug)]
pub struct SecurityGroupProps {
    vpc: Option<Value<Id<kind::ec2::VPC>>>,
    description: Option<Value<String>>,
    security_group_name: Option<Value<String>>,
    allow_all_outbound: bool,
    ingress: Vec<SecurityGroupRule>,
    egress: Vec<SecurityGroupRule>,
}

impl Default for SecurityGroupProps {
    fn default() -> Self {
        Self {
            vpc: None,
            description: None,
            security_group_name: None,
            allow_all_outbound: true,
            ingress: Vec::new(),
            egress: Vec::new(),
        }
    }
}

impl SecurityGroupProps {
    /// The VPC: a [`Vpc`](super::Vpc) of this stack, its `vpc_id`, or an existing VPC's ID.
    #[must_use]
    pub fn vpc(mut self, vpc: impl IntoValue<Id<kind::ec2::VPC>>) -> Self {
        self.vpc = Some(vpc.into_value());
        self
    }

    /// The group's description (`<stack>/<Id>` when unset). Changing it replaces the group.
    #[must_use]
    pub fn description(mut self, description: impl IntoValue<String>) -> Self {
        self.description = Some(description.into_value());
        self
    }

    /// The group's name; EC2 generates one when unset.
    #[must_use]
    pub fn security_group_name(mut self, name: impl IntoValue<String>) -> Self {
        self.security_group_name = Some(name.into_value());
        self
    }

    /// Whether the group may reach any address on any port (the default).
    #[must_use]
    pub fn allow_all_outbound(mut self, allow: bool) -> Self {
        self.allow_all_outbound = allow;
        self
    }

    /// Inbound rules: `[SecurityGroupRule { peer: Peer::any_ipv4(), port: Port::tcp(443) }]`.
    #[must_use]
    pub fn ingress(mut self, rules: impl IntoIterator<Item = SecurityGroupRule>) -> Self {
        self.ingress = rules.into_iter().collect();
        self
    }

    /// Outbound rules; they need `allow_all_outbound: false`.
    #[must_use]
    pub fn egress(mut self, rules: impl IntoIterator<Item = SecurityGroupRule>) -> Self {
        self.egress = rules.into_iter().collect();
        self
    }
}

impl SecurityGroup {
    /// The group's ID (`sg-...`).
    pub fn group_id(&self) -> Value<Id<kind::ec2::SecurityGroup>> {
        Value::get_att(&self.id, "GroupId")
    }
}

#[diagnostic::do_not_recommend]
impl IntoValue<Id<kind::ec2::SecurityGroup>> for &SecurityGroup {
    fn into_value(self) -> Value<Id<kind::ec2::SecurityGroup>> {
        self.group_id()
    }
}

impl Construct for SecurityGroup {
    type Props = SecurityGroupProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: SecurityGroupProps, stack: &mut StackBuilder) {
        let id = self.id.as_str();
        let vpc = props.vpc.unwrap_or_else(|| {
            stack.report(format!(
                "security group `{id}` has no `vpc`; add `vpc: <a Vpc>`"
            ));
            "".into_value()
        });
        let description = props
            .description
            .unwrap_or_else(|| Value::lit(format!("{}/{id}", stack.name())));
        if let Some(text) = literal_str(&description) {
            if let Err(why) = check_description(text) {
                stack.report(format!(
                    "security group `{id}`: `description` `{text}` {why}"
                ));
            }
        }
        if props.allow_all_outbound && !props.egress.is_empty() {
            stack.report(format!(
                "security group `{id}`: `egress` rules have no effect while `allow_all_outbound` is true; add `allow_all_outbound: false`"
            ));
        }

        let mut inline_ingress = Vec::new();
        let mut inline_egress = Vec::new();
        let mut separate = Vec::new();
        for (direction, rules) in [
            (Direction::Ingress, props.ingress),
            (Direction::Egress, props.egress),
        ] {
            for rule in rules {
                let Some((peer, port, description)) = complete_rule(stack, id, direction, rule)
                else {
                    continue;
                };
                if let PeerKind::SecurityGroup(group) = &peer.kind {
                    separate.push((
                        direction,
                        group.clone(),
                        port,
                        description,
                        peer.id_label(),
                        peer.label(),
                    ));
                    continue;
                }
                match direction {
                    Direction::Ingress => {
                        inline_ingress.push(ingress_rule(&peer, port, description));
                    }
                    Direction::Egress => inline_egress.push(egress_rule(&peer, port, description)),
                }
            }
        }
        if props.allow_all_outbound {
            inline_egress = vec![allow_all_egress()];
        } else if inline_egress.is_empty() {
            // Any inline rule stops EC2 from adding its allow-all egress rule; this one
            // matches no packet (ICMP type 252 is unassigned).
            inline_egress.push(disallow_all_egress());
        }

        let group = aws::ec2::SecurityGroup {
            group_description: Some(description),
            group_name: props.security_group_name,
            security_group_egress: Some(inline_egress),
            security_group_ingress: (!inline_ingress.is_empty()).then_some(inline_ingress),
            vpc_id: Some(vpc),
            ..Default::default()
        };
        stack.add_resource(id, &group);

        let mut added: Vec<String> = Vec::new();
        for (direction, group, port, description, id_label, label) in separate {
            let (word, logical_id) = match direction {
                Direction::Ingress => ("From", format!("{id}From{id_label}{}", port.label())),
                Direction::Egress => ("To", format!("{id}To{id_label}{}", port.label())),
            };
            if added.contains(&logical_id) {
                stack.report(format!(
                    "security group `{id}`: the rule {} {label} on {} is listed twice",
                    word.to_lowercase(),
                    port.describe()
                ));
                continue;
            }
            added.push(logical_id.clone());
            add_group_rule(
                stack,
                logical_id,
                direction,
                self.group_id(),
                group,
                port,
                description,
            );
        }
    }
}

/// The rule's peer, port and description, or `None` after reporting what is missing.
fn complete_rule(
    stack: &mut StackBuilder,
    id: &str,
    direction: Direction,
    rule: SecurityGroupRule,
) -> Option<(Peer, Port, Value<String>)> {
    let which = match direction {
        Direction::Ingress => "an `ingress`",
        Direction::Egress => "an `egress`",
    };
    let (Some(peer), Some(port)) = (rule.peer, rule.port) else {
        stack.report(format!(
            "security group `{id}`: {which} rule needs `peer` and `port`, e.g. `SecurityGroupRule {{ peer: Peer::any_ipv4(), port: Port::tcp(443) }}`"
        ));
        return None;
    };
    if port.from > port.to {
        stack.report(format!(
            "security group `{id}`: port range {}-{} is backwards; write the lower port first",
            port.from, port.to
        ));
    }
    if let PeerKind::Ipv4(cidr) = &peer.kind {
        if let Some(Err(why)) = literal_str(cidr).map(Ipv4Cidr::parse) {
            stack.report(format!("security group `{id}`: peer {why}"));
        }
    }
    let description = rule.description.unwrap_or_else(|| {
        let (word, label) = (
            match direction {
                Direction::Ingress => "from",
                Direction::Egress => "to",
            },
            peer.label(),
        );
        Value::lit(format!("{} {word} {label}", port.describe()))
    });
    if let Some(text) = literal_str(&description) {
        if let Err(why) = check_description(text) {
            stack.report(format!(
                "security group `{id}`: rule description `{text}` {why}"
            ));
        }
    }
    Some((peer, port, description))
}

/// An inline `SecurityGroupIngress` entry.
pub(in crate::constructs) fn ingress_rule(
    peer: &Peer,
    port: Port,
    description: Value<String>,
) -> security_group::Ingress {
    let (from_port, to_port) = port.range();
    let mut rule = security_group::Ingress {
        description: Some(description),
        from_port,
        ip_protocol: port.ip_protocol(),
        to_port,
        ..Default::default()
    };
    match &peer.kind {
        PeerKind::Ipv4(v) => rule.cidr_ip = Some(v.clone()),
        PeerKind::Ipv6(v) => rule.cidr_ipv6 = Some(v.clone()),
        PeerKind::PrefixList(v) => rule.source_prefix_list_id = Some(v.clone()),
        PeerKind::SecurityGroup(v) => rule.source_security_group_id = Some(v.clone()),
    }
    rule
}

/// An inline `SecurityGroupEgress` entry.
pub(in crate::constructs) fn egress_rule(
    peer: &Peer,
    port: Port,
    description: Value<String>,
) -> security_group::Egress {
    let (from_port, to_port) = port.range();
    let mut rule = security_group::Egress {
        description: Some(description),
        from_port,
        ip_protocol: port.ip_protocol(),
        to_port,
        ..Default::default()
    };
    match &peer.kind {
        PeerKind::Ipv4(v) => rule.cidr_ip = Some(v.clone()),
        PeerKind::Ipv6(v) => rule.cidr_ipv6 = Some(v.clone()),
        PeerKind::PrefixList(v) => rule.destination_prefix_list_id = Some(v.clone()),
        PeerKind::SecurityGroup(v) => rule.destination_security_group_id = Some(v.clone()),
    }
    rule
}

/// Adds a separate `AWS::EC2::SecurityGroupIngress`/`Egress` between two groups.
pub(in crate::constructs) fn add_group_rule(
    stack: &mut StackBuilder,
    logical_id: String,
    direction: Direction,
    group_id: Value<Id<kind::ec2::SecurityGroup>>,
    peer_group_id: Value<Id<kind::ec2::SecurityGroup>>,
    port: Port,
    description: Value<String>,
) {
    let (from_port, to_port) = port.range();
    match direction {
        Direction::Ingress => stack.add_resource(
            logical_id,
            &aws::ec2::SecurityGroupIngress {
                description: Some(description),
                from_port,
                group_id: Some(group_id.into_value()),
                ip_protocol: port.ip_protocol(),
                source_security_group_id: Some(peer_group_id.into_value()),
                to_port,
                ..Default::default()
            },
        ),
        Direction::Egress => stack.add_resource(
            logical_id,
            &aws::ec2::SecurityGroupEgress {
                description: Some(description),
                destination_security_group_id: Some(peer_group_id),
                from_port,
                group_id: Some(group_id),
                ip_protocol: port.ip_protocol(),
                to_port,
                ..Default::default()
            },
        ),
    };
}

/// The egress rule that lets a group reach any address on any port.
pub(in crate::constructs) fn allow_all_egress() -> security_group::Egress {
    security_group::Egress {
        cidr_ip: Some(Value::lit("0.0.0.0/0")),
        description: Some(Value::lit("Allow all outbound traffic")),
        ip_protocol: Some(Value::lit("-1")),
        ..Default::default()
    }
}

/// The egress rule that matches nothing, so a group without egress rules reaches nothing.
fn disallow_all_egress() -> security_group::Egress {
    security_group::Egress {
        cidr_ip: Some(Value::lit("255.255.255.255/32")),
        description: Some(Value::lit("Disallow all traffic")),
        from_port: Some(252_i64.into_value()),
        ip_protocol: Some(Value::lit("icmp")),
        to_port: Some(86_i64.into_value()),
        ..Default::default()
    }
}

/// Why EC2 would reject a group or rule description, if it would.
fn check_description(text: &str) -> Result<(), &'static str> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(c);
    if text.len() > 255 {
        Err("is longer than 255 characters")
    } else if !text.chars().all(allowed) {
        Err("may hold only letters, digits, spaces and `._-:/()#,@[]+=&;{}!$*`")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    // Security groups: inline ranges, separate group peers, egress and checks.
    use super::super::test_support::{build, ok};
    use super::super::{Vpc, VpcProps};
    use super::*;
    use serde_json::json;

    #[test]
    fn security_group_rules_inline_ranges_and_separate_group_peers() {
        let vpc = Vpc::declare("Network");
        let lb = SecurityGroup::declare("Lb");
        let app = SecurityGroup::declare("App");
        let r = ok(|stack| {
            vpc.build(VpcProps::default(), stack);
            lb.build(
                SecurityGroupProps::default().vpc(&vpc).ingress([
                    SecurityGroupRule::default()
                        .peer(Peer::any_ipv4())
                        .port(Port::tcp(443)),
                    SecurityGroupRule::default()
                        .peer(Peer::any_ipv6())
                        .port(Port::tcp(443))
                        .description("https over IPv6"),
                ]),
                stack,
            );
            app.build(
                SecurityGroupProps::default()
                    .vpc(vpc.vpc_id())
                    .description("application tasks")
                    .security_group_name("app")
                    .allow_all_outbound(false)
                    .ingress([SecurityGroupRule::default()
                        .peer(Peer::security_group(&lb))
                        .port(Port::tcp_range(8000, 8100))])
                    .egress([
                        SecurityGroupRule::default()
                            .peer(Peer::ipv4(vpc.cidr_block()))
                            .port(Port::tcp(5432)),
                        SecurityGroupRule::default()
                            .peer(Peer::security_group(&lb))
                            .port(Port::all_traffic()),
                    ]),
                stack,
            );
        });
        assert_eq!(
            r["Lb"]["Properties"],
            json!({
                "GroupDescription": "Test/Lb",
                "VpcId": {"Ref": "Network"},
                "SecurityGroupIngress": [
                    {"CidrIp": "0.0.0.0/0", "Description": "tcp 443 from 0.0.0.0/0", "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443},
                    {"CidrIpv6": "::/0", "Description": "https over IPv6", "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443}
                ],
                "SecurityGroupEgress": [
                    {"CidrIp": "0.0.0.0/0", "Description": "Allow all outbound traffic", "IpProtocol": "-1"}
                ]
            })
        );
        let p = &r["App"]["Properties"];
        assert_eq!(p["GroupName"], "app");
        assert!(p.get("SecurityGroupIngress").is_none());
        assert_eq!(
            p["SecurityGroupEgress"],
            json!([{"CidrIp": {"Fn::GetAtt": ["Network", "CidrBlock"]}, "Description": "tcp 5432 to Network.CidrBlock", "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432}])
        );
        assert_eq!(
            r["AppFromLbTcp8000To8100"],
            json!({"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
                "GroupId": {"Fn::GetAtt": ["App", "GroupId"]},
                "SourceSecurityGroupId": {"Fn::GetAtt": ["Lb", "GroupId"]},
                "Description": "tcp 8000-8100 from Lb",
                "IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8100
            }})
        );
        assert_eq!(
            r["AppToLbAllTraffic"]["Properties"],
            json!({
                "GroupId": {"Fn::GetAtt": ["App", "GroupId"]},
                "DestinationSecurityGroupId": {"Fn::GetAtt": ["Lb", "GroupId"]},
                "Description": "all traffic to Lb",
                "IpProtocol": "-1"
            })
        );
    }

    #[test]
    fn a_group_that_may_not_reach_out_reaches_nothing() {
        let r = ok(|stack| {
            SecurityGroup::declare("Closed").build(
                SecurityGroupProps::default()
                    .vpc("vpc-0123456789abcdef0")
                    .allow_all_outbound(false),
                stack,
            );
        });
        assert_eq!(
            r["Closed"]["Properties"]["SecurityGroupEgress"],
            json!([{"CidrIp": "255.255.255.255/32", "Description": "Disallow all traffic", "FromPort": 252, "IpProtocol": "icmp", "ToPort": 86}])
        );
    }

    #[test]
    fn invalid_rules_are_reported() {
        let problems = build(|stack| {
            SecurityGroup::declare("Bad").build(
                SecurityGroupProps::default()
                    .description("it's bad")
                    .ingress([
                        SecurityGroupRule::default().peer(Peer::any_ipv4()),
                        SecurityGroupRule::default()
                            .peer(Peer::ipv4("10.0.0.1/8"))
                            .port(Port::tcp_range(90, 80)),
                        SecurityGroupRule::default()
                            .peer(Peer::security_group("sg-1"))
                            .port(Port::udp(53)),
                        SecurityGroupRule::default()
                            .peer(Peer::security_group("sg-1"))
                            .port(Port::udp(53)),
                    ])
                    .egress([SecurityGroupRule::default()
                        .peer(Peer::prefix_list("pl-1"))
                        .port(Port::all_icmp())]),
                stack,
            );
        })
        .err()
        .unwrap_or_default();
        let expected = [
            "has no `vpc`",
            "`description` `it's bad`",
            "no effect while `allow_all_outbound`",
            "needs `peer` and `port`",
            "backwards",
            "host bits",
            "listed twice",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        for needle in expected {
            assert!(
                problems.iter().any(|p| p.contains(needle)),
                "no problem mentions {needle}: {problems:#?}"
            );
        }
    }
}
