use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: Bucket {
            bucket_name: "My_Bucket",
        }
    }
}

fn main() {}
