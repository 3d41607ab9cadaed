use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource uploads: Bucket;
        resource orders: Topic;
        resource images: BucketNotification { bucket: uploads, destination: orders }
    }
}

fn main() {}
