use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource jobs: Queue { queue_name: "order jobs" }
    }
}

fn main() {}
