use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: Bucket {}
        resource thumbnails: Bucket {}
        grant thumbnails read photos;
    }
}

fn main() {}
