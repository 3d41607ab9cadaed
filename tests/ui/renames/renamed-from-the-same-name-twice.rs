use stack_core::prelude::*;

stack! {
    pub stack Demo {
        #[renamed_from(files)]
        resource photos: Bucket;
        #[renamed_from(files)]
        resource archive: Bucket;
    }
}

fn main() {}
