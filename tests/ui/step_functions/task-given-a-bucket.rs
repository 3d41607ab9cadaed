use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource photos: Bucket;
        resource flow: StateMachine {
            definition: Definition::new("Resize").state(LambdaInvoke::new("Resize", photos).end()),
        }
    }
}

fn main() {}
