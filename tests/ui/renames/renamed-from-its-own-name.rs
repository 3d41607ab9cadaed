use stack_core::prelude::*;

stack! {
    pub stack Demo {
        #[renamed_from(photos)]
        resource photos: Bucket;
    }
}

fn main() {}
