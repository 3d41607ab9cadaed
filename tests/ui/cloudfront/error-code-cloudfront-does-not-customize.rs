use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource site: Bucket;
        resource cdn: Distribution {
            default_behavior: Behavior { origin: site },
            error_responses: [ErrorResponse { http_status: 418, response_page_path: "/teapot.html" }],
        }
    }
}

fn main() {}
