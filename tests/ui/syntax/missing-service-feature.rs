use stack_core::prelude::*;

// The `tests` crate and the apps it tests enable only some services of `stack-core`;
// SimpleDB is none of them.
stack! {
    pub stack Demo {
        resource domain: AWS::SDB::Domain {
            Description: "attributes",
        }
    }
}

fn main() {}
