use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource files: Bucket;
        #[renamed_from(files)]
        resource photos: Bucket;
    }
}

fn main() {}
