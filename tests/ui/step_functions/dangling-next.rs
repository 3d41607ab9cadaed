use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource validate: Function {
            code: Code::inline("def handler(event, context):\n    return event\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource flow: StateMachine {
            definition: Definition::new("Validate")
                .state(LambdaInvoke::new("Validate", validate).next("Proces"))
                .state(Pass::new("Process").end()),
        }
    }
}

fn main() {}
