use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource apps: Cluster {
            cluster_name: "web apps",
        }
    }
}

fn main() {}
