use stack_core::prelude::*;

// The `tests` crate enables only a few services of `stack-core`; EC2 is not one of them.
stack! {
    pub stack Demo {
        resource network: AWS::EC2::VPC {
            CidrBlock: "10.0.0.0/16",
        }
    }
}

fn main() {}
