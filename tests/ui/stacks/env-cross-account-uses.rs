use stack_core::prelude::*;

stack! {
    pub stack Shared {
        env { account: "123456789012", region: "us-east-1" }
        resource files: Bucket {}
    }
}

stack! {
    pub stack Site uses shared: Shared {
        env { account: "210987654321", region: "us-east-1", cross_region_references: true }
        resource logs: Bucket { bucket_name: shared.files.name }
    }
}

fn main() {}
