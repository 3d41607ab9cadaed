use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: Bucket {}
        output photos_arn = photos.arm;
    }
}

fn main() {}
