use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource jobs: Queue;
        resource poll: Rule {
            schedule: "rate(5 minute)",
            targets: [RuleTarget::queue(jobs)],
        }
    }
}

fn main() {}
