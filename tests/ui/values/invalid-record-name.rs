use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource www: CnameRecord {
            hosted_zone_id: "Z0123456789EXAMPLE",
            record_name: "www..example.com",
            domain_name: "example.com",
        }
    }
}

fn main() {}
