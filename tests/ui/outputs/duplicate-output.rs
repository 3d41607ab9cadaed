use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: Bucket {}
        output bucket = photos.name;
        output bucket = photos.arn;
    }
}

fn main() {}
