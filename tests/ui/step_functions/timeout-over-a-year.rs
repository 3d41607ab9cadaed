use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource flow: StateMachine {
            definition: Definition::new("Done").state(Succeed::new("Done")),
            timeout: Duration::days(400),
        }
    }
}

fn main() {}
