use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource flow: StateMachine {
            definition: Definition::new("Start")
                .state(Pass::new("Start").next("Done"))
                .state(Pass::new("Forgotten").next("Done"))
                .state(Succeed::new("Done")),
        }
    }
}

fn main() {}
