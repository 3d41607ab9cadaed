use stack_core::prelude::*;

stack! {
    pub stack Site {
        env { account: "12345678901", region: "us-east-1" }
        resource files: Bucket {}
    }
}

fn main() {}
