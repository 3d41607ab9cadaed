use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource flow: StateMachine {
            definition: Definition::new("Done").state(Succeed::new("Done")),
            state_machine_name: "order flow",
        }
    }
}

fn main() {}
