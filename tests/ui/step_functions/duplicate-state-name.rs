use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource flow: StateMachine {
            definition: Definition::new("Both")
                .state(Parallel::new("Both")
                    .branch(Definition::new("Done").state(Succeed::new("Done")))
                    .next("Done"))
                .state(Succeed::new("Done")),
        }
    }
}

fn main() {}
