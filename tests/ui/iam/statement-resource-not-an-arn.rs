use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource worker: Function {
            code: Code::inline("def handler(event, context): pass"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            initial_policy: [Statement::allow(["s3:GetObject"], ["photos-bucket/*"])],
        }
    }
}

fn main() {}
