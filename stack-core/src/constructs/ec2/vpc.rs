//! [`Vpc`]: public and private subnets over several availability zones, with NAT and
//! optional gateway endpoints.

use std::sync::Arc;

use super::cidr::{fallback_cidr, nth};
use super::subnets::{association, availability_zone, name_tag, route_table, subnet};
use super::{Built, GatewayEndpoint};
use crate::aws;
use crate::constructs::{literal_str, Construct};
use crate::kind;
use crate::stack::StackBuilder;
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

/// What a [`Vpc`] knows once built: its subnets and routes, by logical ID.
#[derive(Debug)]
pub(in crate::constructs) struct VpcLayout {
    pub(in crate::constructs) public_subnets: Vec<String>,
    pub(in crate::constructs) private_subnets: Vec<String>,
    /// The route that makes public subnets public; an internet-facing load balancer
    /// needs it in place.
    pub(in crate::constructs) public_routes: Vec<String>,
    /// The routes through NAT gateways, if any.
    pub(in crate::constructs) private_routes: Vec<String>,
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
        Value::list((0..count).map(availability_zone))
    }

    /// The built layout, if the VPC is built; reading it early is reported by the VPC.
    pub(in crate::constructs) fn layout(&self) -> Option<&VpcLayout> {
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

#[diagnostic::do_not_recommend]
impl IntoValue<Id<kind::ec2::VPC>> for &Vpc {
    fn into_value(self) -> Value<Id<kind::ec2::VPC>> {
        self.vpc_id()
    }
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
        let checked = literal_str(&cidr_value).map(stack_spec::rules::ec2::vpc_cidr);
        let cidr = match checked {
            Some(Ok(cidr)) => cidr,
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
        let vpc = aws::ec2::VPC {
            cidr_block: Some(cidr_value),
            enable_dns_hostnames: Some(true.into_value()),
            enable_dns_support: Some(true.into_value()),
            tags: name_tag(&path),
            ..Default::default()
        };
        stack.add_resource(id, &vpc);

        let igw = format!("{id}InternetGateway");
        let attachment = format!("{id}InternetGatewayAttachment");
        stack.add_resource(
            &igw,
            &aws::ec2::InternetGateway {
                tags: name_tag(&path),
            },
        );
        stack.add_resource(
            &attachment,
            &aws::ec2::VPCGatewayAttachment {
                internet_gateway_id: Some(Value::reference(&igw)),
                vpc_id: Some(Value::reference(id)),
                ..Default::default()
            },
        );

        // One route table serves every public subnet: they all route to the gateway.
        let public_table = format!("{id}PublicRouteTable");
        let public_route = format!("{id}PublicDefaultRoute");
        stack.add_resource(
            &public_table,
            &route_table(id, &format!("{path}/PublicRouteTable")),
        );
        // The route names the gateway but not its attachment, without which EC2
        // refuses a route to it.
        stack
            .add_resource(
                &public_route,
                &aws::ec2::Route {
                    destination_cidr_block: Some(Value::lit("0.0.0.0/0")),
                    gateway_id: Some(Value::reference(&igw)),
                    route_table_id: Some(Value::reference(&public_table)),
                    ..Default::default()
                },
            )
            .add_dependency(&attachment);

        let mut public_subnets = Vec::new();
        let mut nat_gateways = Vec::new();
        for zone in 0..azs {
            let n = zone + 1;
            let subnet_id = format!("{id}PublicSubnet{n}");
            let association_id = format!("{subnet_id}RouteTableAssociation");
            stack.add_resource(
                &subnet_id,
                &subnet(
                    id,
                    &nth(cidr, subnet_prefix, zone),
                    zone,
                    &format!("{path}/PublicSubnet{n}"),
                    "Public",
                ),
            );
            stack.add_resource(&association_id, &association(&subnet_id, &public_table));
            if zone < nats {
                let eip = format!("{subnet_id}Eip");
                let nat = format!("{subnet_id}NatGateway");
                let name = format!("{path}/PublicSubnet{n}");
                stack.add_resource(
                    &eip,
                    &aws::ec2::EIP {
                        domain: Some(Value::lit("vpc")),
                        tags: name_tag(&name),
                        ..Default::default()
                    },
                );
                // A NAT gateway forwards to the internet only once its subnet routes
                // there.
                let decl = stack.add_resource(
                    &nat,
                    &aws::ec2::NatGateway {
                        allocation_id: Some(Value::get_att(&eip, "AllocationId")),
                        subnet_id: Some(Value::reference(&subnet_id)),
                        tags: name_tag(&name),
                        ..Default::default()
                    },
                );
                decl.add_dependency(&public_route);
                decl.add_dependency(&association_id);
                nat_gateways.push(nat);
            }
            public_subnets.push(subnet_id);
        }

        // Private subnets share one route table per NAT gateway; zone `n` uses the
        // gateway in its own zone when there is one.
        let tables = nat_gateways.len().max(1);
        let mut private_tables = Vec::new();
        let mut private_routes = Vec::new();
        for table in 0..tables {
            let n = table + 1;
            let table_id = format!("{id}PrivateRouteTable{n}");
            stack.add_resource(
                &table_id,
                &route_table(id, &format!("{path}/PrivateRouteTable{n}")),
            );
            if let Some(nat) = nat_gateways.get(table) {
                let route = format!("{id}PrivateDefaultRoute{n}");
                stack.add_resource(
                    &route,
                    &aws::ec2::Route {
                        destination_cidr_block: Some(Value::lit("0.0.0.0/0")),
                        nat_gateway_id: Some(Value::reference(nat)),
                        route_table_id: Some(Value::reference(&table_id)),
                        ..Default::default()
                    },
                );
                private_routes.push(route);
            }
            private_tables.push(table_id);
        }
        let mut private_subnets = Vec::new();
        for zone in 0..azs {
            let n = zone + 1;
            let subnet_id = format!("{id}PrivateSubnet{n}");
            stack.add_resource(
                &subnet_id,
                &subnet(
                    id,
                    &nth(cidr, subnet_prefix, azs + zone),
                    zone,
                    &format!("{path}/PrivateSubnet{n}"),
                    "Private",
                ),
            );
            let table = usize::try_from(zone).unwrap_or(0) % tables;
            stack.add_resource(
                format!("{subnet_id}RouteTableAssociation"),
                &association(&subnet_id, &private_tables[table]),
            );
            private_subnets.push(subnet_id);
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
                .map(|t| Value::reference(t));
            let service_name = Value::concat([
                Value::lit("com.amazonaws."),
                Value::reference("AWS::Region"),
                Value::lit(format!(".{}", endpoint.service())),
            ]);
            stack.add_resource(
                format!("{id}{}", endpoint.suffix()),
                &aws::ec2::VPCEndpoint {
                    route_table_ids: Some(Value::list(route_tables)),
                    service_name: Some(service_name),
                    vpc_endpoint_type: Some(Value::lit("Gateway")),
                    vpc_id: Some(Value::reference(id)),
                    ..Default::default()
                },
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

#[cfg(test)]
mod tests {
    // VPCs: subnet layout, routing through NAT, endpoints.
    use super::super::test_support::{build, ids_of_type, ok};
    use super::super::SecurityGroup;
    use super::*;
    use crate::expr::Expr;
    use serde_json::{json, Value as Json};

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
}
