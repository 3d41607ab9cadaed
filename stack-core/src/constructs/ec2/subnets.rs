//! The pieces of a VPC's subnets: zones, route tables and their associations, and tags.

use crate::constructs::{lit, obj};
use crate::expr::Expr;
use crate::template::ResourceDecl;

/// `{"Fn::Select": [index, {"Fn::GetAZs": ""}]}`.
pub(super) fn availability_zone(index: usize) -> Expr {
    Expr::Select(
        u32::try_from(index).unwrap_or(u32::MAX),
        Box::new(Expr::GetAzs(Box::new(lit("")))),
    )
}

/// A `Tags` list holding one `Name` tag, which the console shows.
pub(super) fn name_tag(name: &str) -> Expr {
    Expr::List(vec![obj([("Key", lit("Name")), ("Value", lit(name))])])
}

pub(super) fn route_table(vpc: &str, name: &str) -> ResourceDecl {
    ResourceDecl::new(
        "AWS::EC2::RouteTable",
        obj([
            ("VpcId", Expr::Ref(vpc.to_owned())),
            ("Tags", name_tag(name)),
        ]),
    )
}

pub(super) fn association_decl(subnet: &str, table: &str) -> ResourceDecl {
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
pub(super) fn subnet_decl(
    vpc: &str,
    cidr: &str,
    zone: u32,
    name: &str,
    tier: &str,
) -> ResourceDecl {
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
