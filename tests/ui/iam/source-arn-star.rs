use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource runner: Role {
            assumed_by: Principals {
                services: ["ecs-tasks.amazonaws.com"],
                source_arn: "*",
            },
        }
    }
}

fn main() {}
