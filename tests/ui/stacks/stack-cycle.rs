use stack_core::prelude::*;

stack! {
    pub stack Network uses api: Api {
        resource vpc_logs: Bucket {}
    }
}

stack! {
    pub stack Api uses network: Network {
        resource files: Bucket {}
    }
}

fn main() {}
