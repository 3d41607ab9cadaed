use stack_core::prelude::*;

stack! {
    pub stack Site {
        env { region: "us-east-7" }
        resource files: Bucket {}
    }
}

stack! {
    pub stack Mirror {
        env { account: "123456789012", regoin: "eu-west-1" }
        resource files: Bucket {}
    }
}

fn main() {}
