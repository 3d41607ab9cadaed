use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: Bucket {
            versionned: true,
        }
    }
}

fn main() {}
