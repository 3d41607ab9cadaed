use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource flow: StateMachine { timeout: Duration::minutes(30) }
    }
}

fn main() {}
