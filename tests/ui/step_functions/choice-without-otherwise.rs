use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource flow: StateMachine {
            definition: Definition::new("Route")
                .state(Choice::new("Route")
                    .when(Condition::string_equals("$.status", "ok"), "Done"))
                .state(Succeed::new("Done")),
        }
    }
}

fn main() {}
