use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource failed: Queue;
        resource jobs: Queue {
            dead_letter_queue: DeadLetterQueue { queue: failed, max_receive_count: 0 },
        }
    }
}

fn main() {}
