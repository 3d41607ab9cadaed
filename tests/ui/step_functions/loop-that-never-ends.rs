use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource flow: StateMachine {
            definition: Definition::new("Ready?")
                .state(Choice::new("Ready?")
                    .when(Condition::boolean_equals("$.ready", false), "Poll")
                    .otherwise("Done"))
                .state(Pass::new("Poll").next("Sleep"))
                .state(Wait::new("Sleep", WaitTime::duration(Duration::seconds(30))).next("Poll"))
                .state(Succeed::new("Done")),
        }
    }
}

fn main() {}
