use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource jobs: Queue;
        resource results: Queue;
        resource fan_out: SqsSubscription { topic: jobs, queue: results }
    }
}

fn main() {}
