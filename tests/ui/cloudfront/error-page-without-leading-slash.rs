use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource site: Bucket;
        resource cdn: Distribution {
            default_behavior: Behavior { origin: site },
            error_responses: [ErrorResponse { http_status: 403, response_page_path: "error.html" }],
        }
    }
}

fn main() {}
