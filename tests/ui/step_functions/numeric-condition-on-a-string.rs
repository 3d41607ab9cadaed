use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource flow: StateMachine {
            definition: Definition::new("Route")
                .state(Choice::new("Route")
                    .when(Condition::number_less_than("$.retry", "3"), "Done")
                    .otherwise("Done"))
                .state(Succeed::new("Done")),
        }
    }
}

fn main() {}
