use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: Bucket {}
        resource photos: Bucket { versioned: true }
    }
}

fn main() {}
