use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource worker: Function {
            code: Code::inline("def handler(event, context): pass"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource api: RestApi {
            routes: [
                ApiRoute { path: "items", method: "GET", integration: LambdaIntegration { handlr: worker } },
            ],
        }
    }
}

fn main() {}
