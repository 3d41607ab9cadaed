use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: Bucket {
            cors: [CorsRule { allowed_method: [HttpMethod::Get], allowed_origins: ["*"] }],
        }
    }
}

fn main() {}
