use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource flow: StateMachine {
            definition: Definition::new("Inner")
                .state(Definition::new("Inner").state(Succeed::new("Inner"))),
        }
    }
}

fn main() {}
