use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource uploads: Bucket;
        resource orders: Topic;
        resource images: BucketNotification {
            bucket: uploads,
            destination: orders,
            events: [EventType::ObjectCreated],
            prefix: "incoming/",
            suffix: "",
        }
    }
}

fn main() {}
