//! Networking: [`Vpc`], public and private subnets over several availability zones with
//! NAT and optional gateway endpoints, and [`SecurityGroup`] with ingress and egress rules.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use super::{lit, literal_str, obj, short_hash, Construct};
use crate::expr::Expr;
use crate::kind;
use crate::stack::StackBuilder;
use crate::template::ResourceDecl;
use crate::value::{Id, IntoValue, Value};

/// The VPC address range when none is set, as in CDK.
const DEFAULT_CIDR: &str = "10.0.0.0/16";

/// Availability zones when `max_azs` is unset: every region offers at least two, and two
/// are enough for a load balancer and for surviving the loss of one zone.
const DEFAULT_MAX_AZS: u32 = 2;

/// `Fn::GetAZs` lists at most six zones in any region today.
const MAX_AZS: u32 = 6;

/// Smallest subnet EC2 accepts.
const MAX_SUBNET_PREFIX: u32 = 28;

/// What a construct learns while it is built and its attributes need afterwards (how
/// many subnets a VPC has, for instance).
///
/// Handles are declared before anything is built, so an attribute can be read too early
/// (in a `let`, or by a resource declared above the construct). Such a read is recorded,
/// and the construct reports it when it is built instead of leaving a dangling reference.
#[derive(Debug)]
pub(super) struct Built<T> {
    value: OnceLock<T>,
    read_early: AtomicBool,
}

impl<T> Default for Built<T> {
    fn default() -> Self {
        Self {
            value: OnceLock::new(),
            read_early: AtomicBool::new(false),
        }
    }
}

impl<T> Built<T> {
    /// The built state, or `None` (recorded as an early read) before the build.
    pub(super) fn get(&self) -> Option<&T> {
        let value = self.value.get();
        if value.is_none() {
            self.read_early.store(true, Ordering::Relaxed);
        }
        value
    }

    /// Stores the state once built. Returns whether an attribute was read before, or
    /// `Err` when the construct was already built.
    pub(super) fn set(&self, value: T) -> Result<bool, ()> {
        self.value.set(value).map_err(|_| ())?;
        Ok(self.read_early.load(Ordering::Relaxed))
    }
}

/// An IPv4 range `a.b.c.d/prefix`, parsed from a literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Ipv4Cidr {
    address: u32,
    prefix: u32,
}

impl Ipv4Cidr {
    /// Parses `a.b.c.d/n`; the host bits must be zero.
    pub(super) fn parse(text: &str) -> Result<Self, String> {
        let (address, prefix) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not a CIDR range; write it as `10.0.0.0/16`"))?;
        let octets: Vec<&str> = address.split('.').collect();
        let parsed: Vec<u8> = octets.iter().filter_map(|o| o.parse().ok()).collect();
        let (4, 4) = (octets.len(), parsed.len()) else {
            return Err(format!("`{text}` does not start with an IPv4 address"));
        };
        let address = parsed
            .iter()
            .fold(0u32, |acc, octet| (acc << 8) | u32::from(*octet));
        let prefix: u32 = prefix
            .parse()
            .ok()
            .filter(|p| *p <= 32)
            .ok_or_else(|| format!("`{text}` has a prefix length outside 0 to 32"))?;
        let host_bits = 32 - prefix;
        let host_mask = if host_bits == 32 {
            u32::MAX
        } else {
            (1u32 << host_bits) - 1
        };
        if address & host_mask != 0 {
            return Err(format!(
                "`{text}` has host bits set; the range starts at `{}/{prefix}`",
                Self::format(address & !host_mask)
            ));
        }
        Ok(Self { address, prefix })
    }

    /// The `index`-th range of `prefix` bits inside this one.
    fn nth(self, prefix: u32, index: u32) -> String {
        let size = 1u32.checked_shl(32 - prefix).unwrap_or(0);
        let address = self.address.wrapping_add(size.wrapping_mul(index));
        format!("{}/{prefix}", Self::format(address))
    }

    fn format(address: u32) -> String {
        let [a, b, c, d] = address.to_be_bytes();
        format!("{a}.{b}.{c}.{d}")
    }
}

/// A gateway endpoint: traffic to the service stays on the AWS network and needs no NAT.
/// Gateway endpoints cost nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GatewayEndpoint {
    /// Amazon S3 (`<Id>S3Endpoint`).
    S3,
    /// Amazon DynamoDB (`<Id>DynamoDbEndpoint`).
    DynamoDb,
}

impl GatewayEndpoint {
    /// The service's name in `com.amazonaws.<region>.<name>`.
    pub const fn service(self) -> &'static str {
        match self {
            GatewayEndpoint::S3 => "s3",
            GatewayEndpoint::DynamoDb => "dynamodb",
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            GatewayEndpoint::S3 => "S3Endpoint",
            GatewayEndpoint::DynamoDb => "DynamoDbEndpoint",
        }
    }
}

/// What a [`Vpc`] knows once built: its subnets and routes, by logical ID.
#[derive(Debug)]
pub(super) struct VpcLayout {
    pub(super) public_subnets: Vec<String>,
    pub(super) private_subnets: Vec<String>,
    /// The route that makes public subnets public; an internet-facing load balancer
    /// needs it in place.
    pub(super) public_routes: Vec<String>,
    /// The routes through NAT gateways, if any.
    pub(super) private_routes: Vec<String>,
}

/// A VPC over `max_azs` availability zones, each with a public and a private subnet.
///
/// Resources: the VPC `<Id>`; an internet gateway `<Id>InternetGateway` attached by
/// `<Id>InternetGatewayAttachment`; one public route table `<Id>PublicRouteTable` with a
/// default route `<Id>PublicDefaultRoute` to the internet gateway; per zone `n` (from 1)
/// the subnets `<Id>PublicSubnet<n>` and `<Id>PrivateSubnet<n>`, each with
/// `<Id>...Subnet<n>RouteTableAssociation`; per NAT gateway `n` an Elastic IP
/// `<Id>PublicSubnet<n>Eip`, the gateway `<Id>PublicSubnet<n>NatGateway`, a private route
/// table `<Id>PrivateRouteTable<n>` and its default route `<Id>PrivateDefaultRoute<n>`
/// (one private route table `<Id>PrivateRouteTable1` without a default route when there
/// is no NAT gateway); and the gateway endpoints asked for (`<Id>S3Endpoint`,
/// `<Id>DynamoDbEndpoint`).
///
/// Zones come from `Fn::GetAZs`, never hard-coded names, so the template deploys in any
/// region. The address range is split evenly, public subnets first, as CDK does.
#[derive(Clone, Debug)]
pub struct Vpc {
    id: String,
    layout: Arc<Built<VpcLayout>>,
}

impl PartialEq for Vpc {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Vpc {}

/// Options of a [`Vpc`]; all optional.
#[derive(Clone, Debug, Default)]
pub struct VpcProps {
    cidr: Option<Value<String>>,
    max_azs: Option<u32>,
    nat_gateways: Option<u32>,
    gateway_endpoints: Vec<GatewayEndpoint>,
}

impl VpcProps {
    /// The VPC's IPv4 range, a literal such as `"10.0.0.0/16"` (the default); prefix
    /// lengths from 16 to 28.
    #[must_use]
    pub fn cidr(mut self, cidr: impl IntoValue<String>) -> Self {
        self.cidr = Some(cidr.into_value());
        self
    }

    /// How many availability zones to span, 1 to 6; 2 when unset. The region must offer
    /// that many. A load balancer needs 2.
    #[must_use]
    pub fn max_azs(mut self, azs: u32) -> Self {
        self.max_azs = Some(azs);
        self
    }

    /// How many NAT gateways give the private subnets internet egress: one per zone when
    /// unset (as in CDK), 1 to save cost (zones share it), 0 for none (private subnets
    /// then reach only the VPC and its gateway endpoints).
    #[must_use]
    pub fn nat_gateways(mut self, count: u32) -> Self {
        self.nat_gateways = Some(count);
        self
    }

    /// Gateway endpoints to add, routed from every subnet: `[GatewayEndpoint::S3]`.
    #[must_use]
    pub fn gateway_endpoints(
        mut self,
        endpoints: impl IntoIterator<Item = GatewayEndpoint>,
    ) -> Self {
        self.gateway_endpoints = endpoints.into_iter().collect();
        self
    }
}

impl Vpc {
    /// The VPC's ID (`Ref`).
    pub fn vpc_id(&self) -> Value<Id<kind::ec2::VPC>> {
        Value::reference(&self.id)
    }

    /// The VPC's IPv4 range.
    pub fn cidr_block(&self) -> Value<String> {
        Value::get_att(&self.id, "CidrBlock")
    }

    /// The ID of the security group EC2 creates with every VPC.
    pub fn default_security_group(&self) -> Value<Id<kind::ec2::SecurityGroup>> {
        Value::get_att(&self.id, "DefaultSecurityGroup")
    }

    /// The public subnets' IDs, one per zone, in zone order.
    pub fn public_subnet_ids(&self) -> Value<Vec<Id<kind::ec2::Subnet>>> {
        self.subnets(|layout| &layout.public_subnets, "PublicSubnets")
    }

    /// The private subnets' IDs, one per zone, in zone order.
    pub fn private_subnet_ids(&self) -> Value<Vec<Id<kind::ec2::Subnet>>> {
        self.subnets(|layout| &layout.private_subnets, "PrivateSubnets")
    }

    /// The ID of the public subnet in zone `index` (from 0, below `max_azs`), for a
    /// property that takes one subnet: `network.public_subnet_id(0)`.
    pub fn public_subnet_id(&self, index: usize) -> Value<Id<kind::ec2::Subnet>> {
        Value::reference(&format!(
            "{}PublicSubnet{}",
            self.id,
            index.saturating_add(1)
        ))
    }

    /// The ID of the private subnet in zone `index` (from 0, below `max_azs`), for a
    /// property that takes one subnet, such as an EMR cluster's `Ec2SubnetId`.
    pub fn private_subnet_id(&self, index: usize) -> Value<Id<kind::ec2::Subnet>> {
        Value::reference(&format!(
            "{}PrivateSubnet{}",
            self.id,
            index.saturating_add(1)
        ))
    }

    /// The availability zones the subnets are in, in order.
    pub fn availability_zones(&self) -> Value<Vec<String>> {
        let count = self
            .layout
            .get()
            .map_or(0, |layout| layout.public_subnets.len());
        Value::list((0..count).map(|i| Value::from_expr(availability_zone(i))))
    }

    /// The built layout, if the VPC is built; reading it early is reported by the VPC.
    pub(super) fn layout(&self) -> Option<&VpcLayout> {
        self.layout.get()
    }

    fn subnets(
        &self,
        pick: impl Fn(&VpcLayout) -> &Vec<String>,
        what: &str,
    ) -> Value<Vec<Id<kind::ec2::Subnet>>> {
        match self.layout.get() {
            Some(layout) => Value::list(pick(layout).iter().map(|id| Value::reference(id))),
            // Never synthesized: the VPC reports the early read when it is built.
            None => Value::reference(&format!("{}{what}", self.id)),
        }
    }
}

impl IntoValue<Id<kind::ec2::VPC>> for &Vpc {
    fn into_value(self) -> Value<Id<kind::ec2::VPC>> {
        self.vpc_id()
    }
}

/// `{"Fn::Select": [index, {"Fn::GetAZs": ""}]}`.
fn availability_zone(index: usize) -> Expr {
    Expr::Select(
        u32::try_from(index).unwrap_or(u32::MAX),
        Box::new(Expr::GetAzs(Box::new(lit("")))),
    )
}

/// A `Tags` list holding one `Name` tag, which the console shows.
fn name_tag(name: &str) -> Expr {
    Expr::List(vec![obj([("Key", lit("Name")), ("Value", lit(name))])])
}

impl Construct for Vpc {
    type Props = VpcProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
            layout: Arc::default(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: VpcProps, stack: &mut StackBuilder) {
        let id = self.id.as_str();
        let cidr_value = props.cidr.unwrap_or_else(|| Value::lit(DEFAULT_CIDR));
        let cidr = match literal_str(&cidr_value).map(Ipv4Cidr::parse) {
            Some(Ok(cidr)) if (16..=28).contains(&cidr.prefix) => cidr,
            Some(Ok(_)) => {
                stack.report(format!(
                    "VPC `{id}`: `cidr` must have a prefix length from 16 to 28, e.g. `\"10.0.0.0/16\"`"
                ));
                fallback_cidr()
            }
            Some(Err(why)) => {
                stack.report(format!("VPC `{id}`: `cidr` {why}"));
                fallback_cidr()
            }
            None => {
                stack.report(format!(
                    "VPC `{id}`: `cidr` must be a literal such as `\"10.0.0.0/16\"`; subnets are carved out of it at synth time"
                ));
                fallback_cidr()
            }
        };
        let azs = props.max_azs.unwrap_or(DEFAULT_MAX_AZS);
        if !(1..=MAX_AZS).contains(&azs) {
            stack.report(format!(
                "VPC `{id}`: `max_azs` is {azs}; use 1 to {MAX_AZS} (the region must offer that many zones)"
            ));
        }
        let azs = azs.clamp(1, MAX_AZS);
        let nats = props.nat_gateways.unwrap_or(azs);
        if nats > azs {
            stack.report(format!(
                "VPC `{id}`: `nat_gateways` is {nats}, more than its {azs} zones; NAT gateways go one per public subnet"
            ));
        }
        let nats = nats.min(azs);
        // Public and private subnets in every zone, each range a power-of-two slice.
        let slices = (2 * azs).next_power_of_two();
        let subnet_prefix = cidr.prefix + slices.trailing_zeros();
        if subnet_prefix > MAX_SUBNET_PREFIX {
            stack.report(format!(
                "VPC `{id}`: a /{} range is too small for {} subnets of at least /{MAX_SUBNET_PREFIX}; widen `cidr` or lower `max_azs`",
                cidr.prefix,
                2 * azs
            ));
        }
        let path = format!("{}/{id}", stack.name());

        // DNS hostnames and resolution on: interface endpoints and private hosted zones
        // need both.
        let vpc = obj([
            ("CidrBlock", cidr_value.into_expr()),
            ("EnableDnsHostnames", Expr::Bool(true)),
            ("EnableDnsSupport", Expr::Bool(true)),
            ("Tags", name_tag(&path)),
        ]);
        stack.add(id, ResourceDecl::new("AWS::EC2::VPC", vpc));

        let igw = format!("{id}InternetGateway");
        let attachment = format!("{id}InternetGatewayAttachment");
        stack.add(
            &igw,
            ResourceDecl::new(
                "AWS::EC2::InternetGateway",
                obj([("Tags", name_tag(&path))]),
            ),
        );
        stack.add(
            &attachment,
            ResourceDecl::new(
                "AWS::EC2::VPCGatewayAttachment",
                obj([
                    ("VpcId", Expr::Ref(id.to_owned())),
                    ("InternetGatewayId", Expr::Ref(igw.clone())),
                ]),
            ),
        );

        // One route table serves every public subnet: they all route to the gateway.
        let public_table = format!("{id}PublicRouteTable");
        let public_route = format!("{id}PublicDefaultRoute");
        stack.add(
            &public_table,
            route_table(id, &format!("{path}/PublicRouteTable")),
        );
        // The route names the gateway but not its attachment, without which EC2
        // refuses a route to it.
        stack
            .add(
                &public_route,
                ResourceDecl::new(
                    "AWS::EC2::Route",
                    obj([
                        ("RouteTableId", Expr::Ref(public_table.clone())),
                        ("DestinationCidrBlock", lit("0.0.0.0/0")),
                        ("GatewayId", Expr::Ref(igw)),
                    ]),
                ),
            )
            .add_dependency(&attachment);

        let mut public_subnets = Vec::new();
        let mut nat_gateways = Vec::new();
        for zone in 0..azs {
            let n = zone + 1;
            let subnet = format!("{id}PublicSubnet{n}");
            let association = format!("{subnet}RouteTableAssociation");
            stack.add(
                &subnet,
                subnet_decl(
                    id,
                    &cidr.nth(subnet_prefix, zone),
                    zone,
                    &format!("{path}/PublicSubnet{n}"),
                    "Public",
                ),
            );
            stack.add(&association, association_decl(&subnet, &public_table));
            if zone < nats {
                let eip = format!("{subnet}Eip");
                let nat = format!("{subnet}NatGateway");
                let name = format!("{path}/PublicSubnet{n}");
                stack.add(
                    &eip,
                    ResourceDecl::new(
                        "AWS::EC2::EIP",
                        obj([("Domain", lit("vpc")), ("Tags", name_tag(&name))]),
                    ),
                );
                // A NAT gateway forwards to the internet only once its subnet routes
                // there.
                let decl = stack.add(
                    &nat,
                    ResourceDecl::new(
                        "AWS::EC2::NatGateway",
                        obj([
                            ("AllocationId", Expr::GetAtt(eip, "AllocationId".into())),
                            ("SubnetId", Expr::Ref(subnet.clone())),
                            ("Tags", name_tag(&name)),
                        ]),
                    ),
                );
                decl.add_dependency(&public_route);
                decl.add_dependency(&association);
                nat_gateways.push(nat);
            }
            public_subnets.push(subnet);
        }

        // Private subnets share one route table per NAT gateway; zone `n` uses the
        // gateway in its own zone when there is one.
        let tables = nat_gateways.len().max(1);
        let mut private_tables = Vec::new();
        let mut private_routes = Vec::new();
        for table in 0..tables {
            let n = table + 1;
            let table_id = format!("{id}PrivateRouteTable{n}");
            stack.add(
                &table_id,
                route_table(id, &format!("{path}/PrivateRouteTable{n}")),
            );
            if let Some(nat) = nat_gateways.get(table) {
                let route = format!("{id}PrivateDefaultRoute{n}");
                stack.add(
                    &route,
                    ResourceDecl::new(
                        "AWS::EC2::Route",
                        obj([
                            ("RouteTableId", Expr::Ref(table_id.clone())),
                            ("DestinationCidrBlock", lit("0.0.0.0/0")),
                            ("NatGatewayId", Expr::Ref(nat.clone())),
                        ]),
                    ),
                );
                private_routes.push(route);
            }
            private_tables.push(table_id);
        }
        let mut private_subnets = Vec::new();
        for zone in 0..azs {
            let n = zone + 1;
            let subnet = format!("{id}PrivateSubnet{n}");
            stack.add(
                &subnet,
                subnet_decl(
                    id,
                    &cidr.nth(subnet_prefix, azs + zone),
                    zone,
                    &format!("{path}/PrivateSubnet{n}"),
                    "Private",
                ),
            );
            let table = usize::try_from(zone).unwrap_or(0) % tables;
            stack.add(
                format!("{subnet}RouteTableAssociation"),
                association_decl(&subnet, &private_tables[table]),
            );
            private_subnets.push(subnet);
        }

        let mut seen = Vec::new();
        for endpoint in props.gateway_endpoints {
            if seen.contains(&endpoint) {
                stack.report(format!(
                    "VPC `{id}`: gateway endpoint `{endpoint:?}` is listed twice"
                ));
                continue;
            }
            seen.push(endpoint);
            let route_tables = std::iter::once(&public_table)
                .chain(&private_tables)
                .map(|t| Expr::Ref(t.clone()))
                .collect();
            stack.add(
                format!("{id}{}", endpoint.suffix()),
                ResourceDecl::new(
                    "AWS::EC2::VPCEndpoint",
                    obj([
                        (
                            "ServiceName",
                            Expr::Sub(format!(
                                "com.amazonaws.${{AWS::Region}}.{}",
                                endpoint.service()
                            )),
                        ),
                        ("VpcEndpointType", lit("Gateway")),
                        ("VpcId", Expr::Ref(id.to_owned())),
                        ("RouteTableIds", Expr::List(route_tables)),
                    ]),
                ),
            );
        }

        let layout = VpcLayout {
            public_subnets,
            private_subnets,
            public_routes: vec![public_route],
            private_routes,
        };
        match self.layout.set(layout) {
            Ok(false) => {}
            Ok(true) => stack.report(format!(
                "VPC `{id}`: its subnets were used before it was built; declare it above the resources that use them, and read `public_subnet_ids`/`private_subnet_ids` in those resources rather than in a `let`"
            )),
            Err(()) => stack.report(format!("VPC `{id}` is built twice")),
        }
    }
}

/// A well-formed range to keep building with after a reported one.
fn fallback_cidr() -> Ipv4Cidr {
    Ipv4Cidr {
        address: 10 << 24,
        prefix: 16,
    }
}

fn route_table(vpc: &str, name: &str) -> ResourceDecl {
    ResourceDecl::new(
        "AWS::EC2::RouteTable",
        obj([
            ("VpcId", Expr::Ref(vpc.to_owned())),
            ("Tags", name_tag(name)),
        ]),
    )
}

fn association_decl(subnet: &str, table: &str) -> ResourceDecl {
    ResourceDecl::new(
        "AWS::EC2::SubnetRouteTableAssociation",
        obj([
            ("SubnetId", Expr::Ref(subnet.to_owned())),
            ("RouteTableId", Expr::Ref(table.to_owned())),
        ]),
    )
}

/// A subnet in zone `zone`. Public subnets do not hand out public IPs on launch (Security
/// Hub EC2.15): the load balancer and NAT gateways get their own addresses, and an
/// instance that needs one asks for it.
fn subnet_decl(vpc: &str, cidr: &str, zone: u32, name: &str, tier: &str) -> ResourceDecl {
    ResourceDecl::new(
        "AWS::EC2::Subnet",
        obj([
            ("VpcId", Expr::Ref(vpc.to_owned())),
            ("CidrBlock", lit(cidr)),
            (
                "AvailabilityZone",
                availability_zone(usize::try_from(zone).unwrap_or(0)),
            ),
            ("MapPublicIpOnLaunch", Expr::Bool(false)),
            (
                "Tags",
                Expr::List(vec![
                    obj([("Key", lit("Name")), ("Value", lit(name))]),
                    obj([("Key", lit("stack:subnet-type")), ("Value", lit(tier))]),
                ]),
            ),
        ]),
    )
}

/// Who a security group rule admits (ingress) or reaches (egress).
#[derive(Clone, Debug, PartialEq)]
pub struct Peer {
    kind: PeerKind,
}

#[derive(Clone, Debug, PartialEq)]
enum PeerKind {
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

    /// Members of a security group: a [`SecurityGroup`] of this stack, its `group_id`,
    /// or an existing group's ID.
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
    fn label(&self) -> String {
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
    fn id_label(&self) -> String {
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
    protocol: &'static str,
    from: i64,
    to: i64,
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
    fn label(self) -> String {
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
    fn describe(self) -> String {
        match self.protocol {
            "icmp" => "icmp".to_owned(),
            "-1" => "all traffic".to_owned(),
            protocol if self.from == self.to => format!("{protocol} {}", self.from),
            protocol => format!("{protocol} {}-{}", self.from, self.to),
        }
    }

    /// `IpProtocol`, `FromPort` and `ToPort` (ports only for a specific protocol).
    pub(super) fn fields(self) -> Vec<(String, Expr)> {
        let mut fields = vec![("IpProtocol".to_owned(), lit(self.protocol))];
        if self.protocol != "-1" {
            fields.push(("FromPort".to_owned(), Expr::Int(self.from)));
            fields.push(("ToPort".to_owned(), Expr::Int(self.to)));
        }
        fields
    }
}

/// One security group rule: `SecurityGroupRule { peer: Peer::any_ipv4(), port: Port::tcp(443) }`.
/// `peer` and `port` are required.
#[derive(Clone, Debug, Default)]
pub struct SecurityGroupRule {
    peer: Option<Peer>,
    port: Option<Port>,
    description: Option<Value<String>>,
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
pub(super) enum Direction {
    Ingress,
    Egress,
}

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
    /// The VPC: a [`Vpc`] of this stack, its `vpc_id`, or an existing VPC's ID.
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
            Value::from_expr(lit(""))
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
                let rule = inline_rule(direction, &peer, port, description);
                match direction {
                    Direction::Ingress => inline_ingress.push(rule),
                    Direction::Egress => inline_egress.push(rule),
                }
            }
        }
        if props.allow_all_outbound {
            inline_egress = vec![obj([
                ("CidrIp", lit("0.0.0.0/0")),
                ("Description", lit("Allow all outbound traffic")),
                ("IpProtocol", lit("-1")),
            ])];
        } else if inline_egress.is_empty() {
            // Any inline rule stops EC2 from adding its allow-all egress rule; this one
            // matches no packet (ICMP type 252 is unassigned).
            inline_egress.push(disallow_all_egress());
        }

        let mut p = vec![("GroupDescription".to_owned(), description.into_expr())];
        if let Some(name) = props.security_group_name {
            p.push(("GroupName".to_owned(), name.into_expr()));
        }
        p.push(("VpcId".to_owned(), vpc.into_expr()));
        if !inline_ingress.is_empty() {
            p.push((
                "SecurityGroupIngress".to_owned(),
                Expr::List(inline_ingress),
            ));
        }
        p.push(("SecurityGroupEgress".to_owned(), Expr::List(inline_egress)));
        stack.add(
            id,
            ResourceDecl::new("AWS::EC2::SecurityGroup", Expr::Map(p)),
        );

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
            stack.add(
                logical_id,
                group_rule(
                    direction,
                    Expr::GetAtt(id.to_owned(), "GroupId".into()),
                    group.into_expr(),
                    port,
                    description,
                ),
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

/// An inline `SecurityGroupIngress`/`SecurityGroupEgress` entry.
fn inline_rule(direction: Direction, peer: &Peer, port: Port, description: Value<String>) -> Expr {
    let (key, value) = match (&peer.kind, direction) {
        (PeerKind::Ipv4(v), _) => ("CidrIp", v.expr()),
        (PeerKind::Ipv6(v), _) => ("CidrIpv6", v.expr()),
        (PeerKind::PrefixList(v), Direction::Ingress) => ("SourcePrefixListId", v.expr()),
        (PeerKind::PrefixList(v), Direction::Egress) => ("DestinationPrefixListId", v.expr()),
        (PeerKind::SecurityGroup(v), Direction::Ingress) => ("SourceSecurityGroupId", v.expr()),
        (PeerKind::SecurityGroup(v), Direction::Egress) => ("DestinationSecurityGroupId", v.expr()),
    };
    let mut entries = vec![(key.to_owned(), value.clone())];
    entries.push(("Description".to_owned(), description.into_expr()));
    entries.extend(port.fields());
    Expr::Map(entries)
}

/// A separate `AWS::EC2::SecurityGroupIngress`/`Egress` between two groups.
pub(super) fn group_rule(
    direction: Direction,
    group_id: Expr,
    peer_group_id: Expr,
    port: Port,
    description: Value<String>,
) -> ResourceDecl {
    let (type_name, peer_key) = match direction {
        Direction::Ingress => ("AWS::EC2::SecurityGroupIngress", "SourceSecurityGroupId"),
        Direction::Egress => (
            "AWS::EC2::SecurityGroupEgress",
            "DestinationSecurityGroupId",
        ),
    };
    let mut entries = vec![
        ("GroupId".to_owned(), group_id),
        (peer_key.to_owned(), peer_group_id),
        ("Description".to_owned(), description.into_expr()),
    ];
    entries.extend(port.fields());
    ResourceDecl::new(type_name, Expr::Map(entries))
}

/// The egress rule that matches nothing, so a group without egress rules reaches nothing.
fn disallow_all_egress() -> Expr {
    obj([
        ("CidrIp", lit("255.255.255.255/32")),
        ("Description", lit("Disallow all traffic")),
        ("FromPort", Expr::Int(252)),
        ("IpProtocol", lit("icmp")),
        ("ToPort", Expr::Int(86)),
    ])
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
    // VPCs and security groups: subnet layout, routing through NAT, endpoints, rules.
    use super::*;
    use serde_json::{json, Value as Json};

    fn build(f: impl FnOnce(&mut StackBuilder)) -> Result<Json, Vec<String>> {
        let mut stack = StackBuilder::new("Test");
        f(&mut stack);
        stack
            .finish()
            .map(|s| s.template.to_json()["Resources"].clone())
            .map_err(|e| e.problems)
    }

    fn ok(f: impl FnOnce(&mut StackBuilder)) -> Json {
        build(f).unwrap_or_else(|problems| panic!("{problems:#?}"))
    }

    fn ids_of_type<'a>(r: &'a Json, type_name: &str) -> Vec<&'a str> {
        r.as_object()
            .map(|m| {
                m.iter()
                    .filter(|(_, v)| v["Type"] == type_name)
                    .map(|(k, _)| k.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn default_vpc_spans_two_zones_with_a_nat_gateway_each() {
        let vpc = Vpc::declare("Network");
        let r = ok(|stack| vpc.build(VpcProps::default(), stack));
        assert_eq!(
            r["Network"]["Properties"],
            json!({
                "CidrBlock": "10.0.0.0/16",
                "EnableDnsHostnames": true,
                "EnableDnsSupport": true,
                "Tags": [{"Key": "Name", "Value": "Test/Network"}]
            })
        );
        let subnets: Vec<(&str, &Json)> = [
            ("NetworkPublicSubnet1", "10.0.0.0/18"),
            ("NetworkPublicSubnet2", "10.0.64.0/18"),
            ("NetworkPrivateSubnet1", "10.0.128.0/18"),
            ("NetworkPrivateSubnet2", "10.0.192.0/18"),
        ]
        .iter()
        .map(|(id, cidr)| {
            assert_eq!(r[*id]["Properties"]["CidrBlock"], *cidr, "{id}");
            assert_eq!(r[*id]["Properties"]["MapPublicIpOnLaunch"], false, "{id}");
            (*id, &r[*id]["Properties"]["AvailabilityZone"])
        })
        .collect();
        assert_eq!(
            subnets[0].1,
            &json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]})
        );
        assert_eq!(
            subnets[1].1,
            &json!({"Fn::Select": [1, {"Fn::GetAZs": ""}]})
        );
        assert_eq!(subnets[3].1, subnets[1].1);
        assert_eq!(ids_of_type(&r, "AWS::EC2::Subnet").len(), 4);
        assert_eq!(ids_of_type(&r, "AWS::EC2::NatGateway").len(), 2);
        assert_eq!(ids_of_type(&r, "AWS::EC2::EIP").len(), 2);
        assert_eq!(ids_of_type(&r, "AWS::EC2::RouteTable").len(), 3);
        assert_eq!(r.as_object().map(|m| m.len()), Some(21));

        // Public subnets reach the internet through the gateway, once it is attached.
        let public_route = &r["NetworkPublicDefaultRoute"];
        assert_eq!(
            public_route["Properties"]["GatewayId"],
            json!({"Ref": "NetworkInternetGateway"})
        );
        assert_eq!(
            public_route["DependsOn"],
            "NetworkInternetGatewayAttachment"
        );
        for n in [1, 2] {
            assert_eq!(
                r[format!("NetworkPublicSubnet{n}RouteTableAssociation")]["Properties"]
                    ["RouteTableId"],
                json!({"Ref": "NetworkPublicRouteTable"})
            );
            // Each private subnet routes through the NAT gateway of its own zone.
            assert_eq!(
                r[format!("NetworkPrivateSubnet{n}RouteTableAssociation")]["Properties"],
                json!({
                    "SubnetId": {"Ref": format!("NetworkPrivateSubnet{n}")},
                    "RouteTableId": {"Ref": format!("NetworkPrivateRouteTable{n}")}
                })
            );
            assert_eq!(
                r[format!("NetworkPrivateDefaultRoute{n}")]["Properties"],
                json!({
                    "RouteTableId": {"Ref": format!("NetworkPrivateRouteTable{n}")},
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "NatGatewayId": {"Ref": format!("NetworkPublicSubnet{n}NatGateway")}
                })
            );
            let nat = &r[format!("NetworkPublicSubnet{n}NatGateway")];
            assert_eq!(
                nat["Properties"]["SubnetId"],
                json!({"Ref": format!("NetworkPublicSubnet{n}")})
            );
            assert_eq!(
                nat["Properties"]["AllocationId"],
                json!({"Fn::GetAtt": [format!("NetworkPublicSubnet{n}Eip"), "AllocationId"]})
            );
        }
    }

    #[test]
    fn one_nat_gateway_serves_every_zone() {
        let vpc = Vpc::declare("Network");
        let r = ok(|stack| {
            vpc.build(VpcProps::default().max_azs(3).nat_gateways(1), stack);
        });
        assert_eq!(
            ids_of_type(&r, "AWS::EC2::NatGateway"),
            ["NetworkPublicSubnet1NatGateway"]
        );
        for n in 1..=3 {
            assert_eq!(
                r[format!("NetworkPrivateSubnet{n}RouteTableAssociation")]["Properties"]
                    ["RouteTableId"],
                json!({"Ref": "NetworkPrivateRouteTable1"})
            );
        }
        assert_eq!(
            r["NetworkPublicSubnet3"]["Properties"]["CidrBlock"],
            "10.0.64.0/19"
        );
        assert_eq!(
            r["NetworkPrivateSubnet1"]["Properties"]["CidrBlock"],
            "10.0.96.0/19"
        );
        assert_eq!(
            vpc.private_subnet_ids().expr().to_json(),
            json!([
                {"Ref": "NetworkPrivateSubnet1"},
                {"Ref": "NetworkPrivateSubnet2"},
                {"Ref": "NetworkPrivateSubnet3"}
            ])
        );
        assert_eq!(
            vpc.private_subnet_id(2).expr(),
            &Expr::Ref("NetworkPrivateSubnet3".into())
        );
        assert_eq!(
            vpc.public_subnet_id(0).expr(),
            &Expr::Ref("NetworkPublicSubnet1".into())
        );
        assert_eq!(
            vpc.availability_zones().expr().to_json()[2],
            json!({"Fn::Select": [2, {"Fn::GetAZs": ""}]})
        );
    }

    #[test]
    fn without_nat_private_subnets_stay_private_and_endpoints_serve_all_tables() {
        let vpc = Vpc::declare("Network");
        let r = ok(|stack| {
            vpc.build(
                VpcProps::default()
                    .cidr("172.16.0.0/20")
                    .nat_gateways(0)
                    .gateway_endpoints([GatewayEndpoint::S3, GatewayEndpoint::DynamoDb]),
                stack,
            );
        });
        assert!(ids_of_type(&r, "AWS::EC2::NatGateway").is_empty());
        assert!(ids_of_type(&r, "AWS::EC2::EIP").is_empty());
        assert_eq!(
            ids_of_type(&r, "AWS::EC2::Route"),
            ["NetworkPublicDefaultRoute"]
        );
        assert_eq!(
            r["NetworkPrivateSubnet2"]["Properties"]["CidrBlock"],
            "172.16.12.0/22"
        );
        assert_eq!(
            r["NetworkS3Endpoint"]["Properties"],
            json!({
                "ServiceName": {"Fn::Sub": "com.amazonaws.${AWS::Region}.s3"},
                "VpcEndpointType": "Gateway",
                "VpcId": {"Ref": "Network"},
                "RouteTableIds": [{"Ref": "NetworkPublicRouteTable"}, {"Ref": "NetworkPrivateRouteTable1"}]
            })
        );
        assert_eq!(
            r["NetworkDynamoDbEndpoint"]["Properties"]["ServiceName"],
            json!({"Fn::Sub": "com.amazonaws.${AWS::Region}.dynamodb"})
        );
    }

    #[test]
    fn attributes_are_typed_references() {
        let vpc = Vpc::declare("Network");
        assert_eq!(vpc.vpc_id().expr(), &Expr::Ref("Network".into()));
        assert_eq!(
            vpc.cidr_block().expr(),
            &Expr::GetAtt("Network".into(), "CidrBlock".into())
        );
        assert_eq!(
            vpc.default_security_group().expr(),
            &Expr::GetAtt("Network".into(), "DefaultSecurityGroup".into())
        );
        let group = SecurityGroup::declare("Web");
        assert_eq!(
            group.group_id().expr(),
            &Expr::GetAtt("Web".into(), "GroupId".into())
        );
    }

    #[test]
    fn subnets_read_before_the_build_are_reported() {
        let vpc = Vpc::declare("Network");
        let early = vpc.public_subnet_ids();
        assert_eq!(early.expr(), &Expr::Ref("NetworkPublicSubnets".into()));
        let problems = build(|stack| vpc.build(VpcProps::default(), stack))
            .err()
            .unwrap_or_default();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("declare it above"), "{problems:#?}");
    }

    #[test]
    fn invalid_vpc_options_are_reported() {
        let cases: [(VpcProps, &str); 6] = [
            (VpcProps::default().cidr("10.0.0.0"), "not a CIDR"),
            (VpcProps::default().cidr("10.0.0.1/16"), "host bits"),
            (VpcProps::default().cidr("10.0.0.0/8"), "16 to 28"),
            (VpcProps::default().cidr("10.0.0.0/27"), "too small"),
            (VpcProps::default().max_azs(7), "`max_azs` is 7"),
            (VpcProps::default().nat_gateways(3), "`nat_gateways` is 3"),
        ];
        for (props, needle) in cases {
            let problems = build(|stack| Vpc::declare("Network").build(props, stack))
                .err()
                .unwrap_or_default();
            assert_eq!(problems.len(), 1, "{needle}: {problems:#?}");
            assert!(problems[0].contains(needle), "{needle}: {problems:#?}");
        }
    }

    #[test]
    fn cidr_arithmetic() {
        let cidr = Ipv4Cidr::parse("10.1.0.0/16").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cidr.nth(18, 3), "10.1.192.0/18");
        assert_eq!(cidr.nth(24, 255), "10.1.255.0/24");
        assert!(Ipv4Cidr::parse("256.0.0.0/8").is_err());
        assert!(Ipv4Cidr::parse("0.0.0.0/0").is_ok());
        assert!(Ipv4Cidr::parse("10.0.0.0/33").is_err());
    }

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

    #[test]
    fn port_labels_and_descriptions() {
        assert_eq!(Port::tcp(80).label(), "Tcp80");
        assert_eq!(Port::all_tcp().label(), "AllTcp");
        assert_eq!(Port::udp_range(1, 2).label(), "Udp1To2");
        assert_eq!(Port::all_icmp().label(), "Icmp");
        assert_eq!(Port::all_udp().describe(), "udp 0-65535");
        assert!(Port::all_traffic()
            .fields()
            .iter()
            .all(|(k, _)| k == "IpProtocol"));
    }
}
