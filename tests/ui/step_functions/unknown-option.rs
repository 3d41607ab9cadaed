use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource flow: StateMachine {
            definition: Definition::new("Done").state(Succeed::new("Done")),
            timout: Duration::minutes(30),
        }
    }
}

fn main() {}
