//! Security group rules: who a rule admits or reaches ([`Peer`]), over which protocol and
//! ports ([`Port`]).

use crate::constructs::short_hash;
use crate::expr::Expr;
use crate::kind;
use crate::value::{Id, IntoValue, Value};

/// Who a security group rule admits (ingress) or reaches (egress).
#[derive(Clone, Debug, PartialEq)]
pub struct Peer {
    pub(super) kind: PeerKind,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum PeerKind {
    Ipv4(Value<String>),
    Ipv6(Value<String>),
    SecurityGroup(Value<Id<kind::ec2::SecurityGroup>>),
    PrefixList(Value<String>),
}

impl Peer {
    /// Every IPv4 address, `0.0.0.0/0`.
    pub fn any_ipv4() -> Self {
        Self::ipv4("0.0.0.0/0")
    }

    /// Every IPv6 address, `::/0`.
    pub fn any_ipv6() -> Self {
        Self::ipv6("::/0")
    }

    /// An IPv4 range, e.g. `"10.0.0.0/8"` or a VPC's `cidr_block`.
    pub fn ipv4(cidr: impl IntoValue<String>) -> Self {
        Self {
            kind: PeerKind::Ipv4(cidr.into_value()),
        }
    }

    /// An IPv6 range, e.g. `"2001:db8::/32"`.
    pub fn ipv6(cidr: impl IntoValue<String>) -> Self {
        Self {
            kind: PeerKind::Ipv6(cidr.into_value()),
        }
    }

    /// Members of a security group: a [`SecurityGroup`](super::SecurityGroup) of this
    /// stack, its `group_id`, or an existing group's ID.
    pub fn security_group(group: impl IntoValue<Id<kind::ec2::SecurityGroup>>) -> Self {
        Self {
            kind: PeerKind::SecurityGroup(group.into_value()),
        }
    }

    /// A managed prefix list, by ID (`pl-...`).
    pub fn prefix_list(id: impl IntoValue<String>) -> Self {
        Self {
            kind: PeerKind::PrefixList(id.into_value()),
        }
    }

    /// A short name for descriptions.
    pub(super) fn label(&self) -> String {
        match &self.kind {
            PeerKind::Ipv4(v) | PeerKind::Ipv6(v) | PeerKind::PrefixList(v) => match v.expr() {
                Expr::Str(s) => s.clone(),
                Expr::Ref(id) => id.clone(),
                Expr::GetAtt(id, attribute) => format!("{id}.{attribute}"),
                _ => "a deploy-time range".to_owned(),
            },
            PeerKind::SecurityGroup(group) => match group.expr() {
                Expr::GetAtt(id, _) | Expr::Ref(id) => id.clone(),
                Expr::Str(s) => s.clone(),
                _ => "a deploy-time group".to_owned(),
            },
        }
    }

    /// An alphanumeric name for the logical ID of a rule between groups: the peer's
    /// logical ID, or `Sg...` from a literal group ID.
    pub(super) fn id_label(&self) -> String {
        match &self.kind {
            PeerKind::SecurityGroup(group) => match group.expr() {
                Expr::GetAtt(id, _) | Expr::Ref(id) => id.clone(),
                Expr::Str(s) => {
                    let rest = s.strip_prefix("sg-").unwrap_or(s);
                    format!(
                        "Sg{}",
                        rest.chars()
                            .filter(char::is_ascii_alphanumeric)
                            .collect::<String>()
                    )
                }
                other => format!("Group{}", short_hash(&other.to_json().to_string(), 8)),
            },
            _ => short_hash(&self.label(), 8),
        }
    }
}

/// A protocol and port range for a security group rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Port {
    pub(super) protocol: &'static str,
    pub(super) from: i64,
    pub(super) to: i64,
}

impl Port {
    /// One TCP port.
    pub const fn tcp(port: u16) -> Self {
        Self::tcp_range(port, port)
    }

    /// TCP ports `from` to `to`, inclusive.
    pub const fn tcp_range(from: u16, to: u16) -> Self {
        Self {
            protocol: "tcp",
            from: from as i64,
            to: to as i64,
        }
    }

    /// Every TCP port.
    pub const fn all_tcp() -> Self {
        Self::tcp_range(0, 65535)
    }

    /// One UDP port.
    pub const fn udp(port: u16) -> Self {
        Self::udp_range(port, port)
    }

    /// UDP ports `from` to `to`, inclusive.
    pub const fn udp_range(from: u16, to: u16) -> Self {
        Self {
            protocol: "udp",
            from: from as i64,
            to: to as i64,
        }
    }

    /// Every UDP port.
    pub const fn all_udp() -> Self {
        Self::udp_range(0, 65535)
    }

    /// Every ICMP type and code (ping included).
    pub const fn all_icmp() -> Self {
        Self {
            protocol: "icmp",
            from: -1,
            to: -1,
        }
    }

    /// Every protocol and port.
    pub const fn all_traffic() -> Self {
        Self {
            protocol: "-1",
            from: -1,
            to: -1,
        }
    }

    /// `Tcp443`, `Tcp8000To8100`, `AllTraffic`: for logical IDs.
    pub(super) fn label(self) -> String {
        let protocol = match self.protocol {
            "tcp" => "Tcp",
            "udp" => "Udp",
            "icmp" => return "Icmp".to_owned(),
            _ => return "AllTraffic".to_owned(),
        };
        if self.from == 0 && self.to == 65535 {
            format!("All{protocol}")
        } else if self.from == self.to {
            format!("{protocol}{}", self.from)
        } else {
            format!("{protocol}{}To{}", self.from, self.to)
        }
    }

    /// `tcp 443`, `tcp 8000-8100`, `all traffic`: for descriptions.
    pub(super) fn describe(self) -> String {
        match self.protocol {
            "icmp" => "icmp".to_owned(),
            "-1" => "all traffic".to_owned(),
            protocol if self.from == self.to => format!("{protocol} {}", self.from),
            protocol => format!("{protocol} {}-{}", self.from, self.to),
        }
    }

    /// `IpProtocol`.
    pub(in crate::constructs) fn ip_protocol(self) -> Option<Value<String>> {
        Some(Value::lit(self.protocol))
    }

    /// `FromPort` and `ToPort`: only for a specific protocol.
    pub(in crate::constructs) fn range(self) -> (Option<Value<i64>>, Option<Value<i64>>) {
        if self.protocol == "-1" {
            (None, None)
        } else {
            (Some(self.from.into_value()), Some(self.to.into_value()))
        }
    }
}

/// One security group rule: `SecurityGroupRule { peer: Peer::any_ipv4(), port: Port::tcp(443) }`.
/// `peer` and `port` are required.
#[derive(Clone, Debug, Default)]
pub struct SecurityGroupRule {
    pub(super) peer: Option<Peer>,
    pub(super) port: Option<Port>,
    pub(super) description: Option<Value<String>>,
}

impl SecurityGroupRule {
    /// Who the rule admits (ingress) or reaches (egress).
    #[must_use]
    pub fn peer(mut self, peer: Peer) -> Self {
        self.peer = Some(peer);
        self
    }

    /// The protocol and ports.
    #[must_use]
    pub fn port(mut self, port: Port) -> Self {
        self.port = Some(port);
        self
    }

    /// A description shown in the console; one is derived from the peer and port when
    /// unset.
    #[must_use]
    pub fn description(mut self, description: impl IntoValue<String>) -> Self {
        self.description = Some(description.into_value());
        self
    }
}

/// Which way a rule points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::constructs) enum Direction {
    Ingress,
    Egress,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_labels_and_descriptions() {
        assert_eq!(Port::tcp(80).label(), "Tcp80");
        assert_eq!(Port::all_tcp().label(), "AllTcp");
        assert_eq!(Port::udp_range(1, 2).label(), "Udp1To2");
        assert_eq!(Port::all_icmp().label(), "Icmp");
        assert_eq!(Port::all_udp().describe(), "udp 0-65535");
        assert_eq!(Port::all_traffic().range(), (None, None));
        assert_eq!(
            Port::tcp_range(1, 2).range(),
            (Some(1_i64.into_value()), Some(2_i64.into_value()))
        );
    }
}
