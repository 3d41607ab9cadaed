use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource site: Bucket;
        resource cdn: Distribution {
            default_behavior: Behavior {
                origin: site,
                response_headers_policy: SecurityHeaders { hsts_max_age: Duration::seconds(0) },
            },
        }
    }
}

fn main() {}
