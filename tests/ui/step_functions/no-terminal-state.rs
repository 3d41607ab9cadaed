use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource flow: StateMachine {
            definition: Definition::new("Ping")
                .state(Pass::new("Ping").next("Pong"))
                .state(Wait::new("Pong", WaitTime::duration(Duration::seconds(1))).next("Ping")),
        }
    }
}

fn main() {}
