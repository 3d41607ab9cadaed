//! EC2 networking constructs.

use super::{opt, req, ConstructSpec, OptionType};
use crate::rules::{self, Check};

/// `Vpc` and `SecurityGroup`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[
    ConstructSpec {
        name: "Vpc",
        cfn_type: "AWS::EC2::VPC",
        options: &[
            opt("cidr", "Value<String>").checked(Check::Str(|s| rules::ec2::vpc_cidr(s).map(drop))),
            opt("max_azs", "u32"),
            opt("nat_gateways", "u32"),
            opt("gateway_endpoints", "Vec<GatewayEndpoint>"),
        ],
        attrs: &[
            "vpc_id",
            "cidr_block",
            "default_security_group",
            "public_subnet_ids",
            "private_subnet_ids",
            "availability_zones",
        ],
        grants: &[],
        principal: false,
        // One zone without NAT: the VPC, gateway and attachment, the public route table
        // and route, two subnets with their associations and a private route table.
        resources: 10,
        children: &[],
    },
    ConstructSpec {
        name: "SecurityGroup",
        cfn_type: "AWS::EC2::SecurityGroup",
        options: &[
            req("vpc", "Value<Id<kind::ec2::VPC>>"),
            opt("description", "Value<String>"),
            opt("security_group_name", "Value<String>"),
            opt("allow_all_outbound", "bool"),
            opt("ingress", "Vec<SecurityGroupRule>"),
            opt("egress", "Vec<SecurityGroupRule>"),
        ],
        attrs: &["group_id"],
        grants: &[],
        principal: false,
        resources: 1,
        children: &[],
    },
];

/// The option types whose struct literals the macro checks field by field.
pub(super) static OPTION_TYPES: &[OptionType] = &[OptionType {
    name: "SecurityGroupRule",
    fields: &[
        req("peer", "Peer"),
        req("port", "Port"),
        opt("description", "Value<String>"),
    ],
}];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &[
    "AWS::EC2::EIP",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::NatGateway",
    "AWS::EC2::Route",
    "AWS::EC2::RouteTable",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::Subnet",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::VPC",
    "AWS::EC2::VPCEndpoint",
    "AWS::EC2::VPCGatewayAttachment",
];
