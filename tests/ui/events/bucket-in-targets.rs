use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: Bucket;
        resource on_upload: Rule {
            event_pattern: EventPattern::new().source(["aws.s3"]),
            targets: [photos],
        }
    }
}

fn main() {}
