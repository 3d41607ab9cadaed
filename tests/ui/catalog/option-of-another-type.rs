//! A construct that lacks what its catalog entry says it has fails to build: here a
//! `Bucket` whose `versioned` setter takes another type than the catalog gives it, checked against the real entry of `Bucket`.

use stack_core::constructs::{Construct, CorsRule};
use stack_core::iam::Grant;
use stack_core::{kind, Arn, Id, RemovalPolicy, StackBuilder, Value};

pub struct Bucket;

#[derive(Default)]
pub struct BucketProps;

impl BucketProps {
    pub fn bucket_name(self, _: impl stack_core::IntoValue<String>) -> Self { self }
    pub fn cors(self, _: impl IntoIterator<Item = CorsRule>) -> Self { self }
    pub fn removal_policy(self, _: RemovalPolicy) -> Self { self }
    pub fn auto_delete_objects(self, _: bool) -> Self { self }
    pub fn versioned(self, _: String) -> Self { self }
}

impl Bucket {
    pub fn arn(&self) -> Value<Arn<kind::s3::Bucket>> { Value::get_att("B", "Arn") }
    pub fn name(&self) -> Value<Id<kind::s3::Bucket>> { Value::reference("B") }
    pub fn domain_name(&self) -> Value<String> { Value::lit("") }
    pub fn regional_domain_name(&self) -> Value<String> { Value::lit("") }
    pub fn grant_read(&self) -> Grant { Grant::new([]) }
    pub fn grant_write(&self) -> Grant { Grant::new([]) }
    pub fn grant_read_write(&self) -> Grant { Grant::new([]) }
    pub fn grant_put(&self) -> Grant { Grant::new([]) }
    pub fn grant_delete(&self) -> Grant { Grant::new([]) }
}

impl Construct for Bucket {
    type Props = BucketProps;
    fn declare(_: &str) -> Self { Bucket }
    fn logical_id(&self) -> &str { "B" }
    fn build(&self, _: BucketProps, _: &mut StackBuilder) {}
}

stack_core::__private::catalog_agreement!(Bucket);

fn main() {}
