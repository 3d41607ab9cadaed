use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource uploads: Bucket;
        resource archive: Bucket;
        resource copy: BucketNotification {
            bucket: uploads,
            destination: archive,
            events: [EventType::ObjectCreated],
        }
    }
}

fn main() {}
