//! The pieces of a VPC's subnets: zones, route tables and their associations, and tags.

use crate::aws;
use crate::constructs::lit;
use crate::expr::Expr;
use crate::tag::Tag;
use crate::value::{IntoValue, Value};

/// `{"Fn::Select": [index, {"Fn::GetAZs": ""}]}`.
pub(super) fn availability_zone(index: usize) -> Value<String> {
    Value::from_expr(Expr::Select(
        u32::try_from(index).unwrap_or(u32::MAX),
        Box::new(Expr::GetAzs(Box::new(lit("")))),
    ))
}

/// A `Tags` list holding one `Name` tag, which the console shows.
pub(super) fn name_tag(name: &str) -> Option<Vec<Tag>> {
    Some(vec![Tag::new("Name", name)])
}

/// A route table of the VPC `vpc`.
pub(super) fn route_table(vpc: &str, name: &str) -> aws::ec2::RouteTable {
    aws::ec2::RouteTable {
        tags: name_tag(name),
        vpc_id: Some(Value::reference(vpc)),
    }
}

/// The association of `subnet` with the route table `table`.
pub(super) fn association(subnet: &str, table: &str) -> aws::ec2::SubnetRouteTableAssociation {
    aws::ec2::SubnetRouteTableAssociation {
        route_table_id: Some(Value::reference(table)),
        subnet_id: Some(Value::reference(subnet)),
    }
}

/// A subnet in zone `zone`. Public subnets do not hand out public IPs on launch (Security
/// Hub EC2.15): the load balancer and NAT gateways get their own addresses, and an
/// instance that needs one asks for it.
pub(super) fn subnet(vpc: &str, cidr: &str, zone: u32, name: &str, tier: &str) -> aws::ec2::Subnet {
    aws::ec2::Subnet {
        availability_zone: Some(availability_zone(usize::try_from(zone).unwrap_or(0))),
        cidr_block: Some(cidr.into_value()),
        map_public_ip_on_launch: Some(false.into_value()),
        tags: Some(vec![
            Tag::new("Name", name),
            Tag::new("stack:subnet-type", tier),
        ]),
        vpc_id: Some(Value::reference(vpc)),
        ..Default::default()
    }
}
