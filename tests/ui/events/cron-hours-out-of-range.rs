use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource worker: Function {
            code: Code::inline("def handler(event, context): pass"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource nightly: Rule {
            schedule: "cron(0 25 * * ? *)",
            targets: [RuleTarget::function(worker)],
        }
    }
}

fn main() {}
