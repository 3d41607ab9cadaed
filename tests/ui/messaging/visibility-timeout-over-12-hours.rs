use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource jobs: Queue { visibility_timeout: Duration::hours(13) }
    }
}

fn main() {}
