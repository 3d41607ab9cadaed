use stack_core::prelude::*;

// A name that is neither a CloudFormation type nor a construct in scope: the compiler
// says so on the type, with the closest name it knows.
stack! {
    pub stack Demo {
        resource thumbnails: Buckett {}
    }
}

fn main() {}
