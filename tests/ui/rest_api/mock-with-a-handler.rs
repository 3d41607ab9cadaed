use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource health_fn: Function {
            code: Code::inline("def handler(event, context):\n    return None\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource api: RestApi {
            routes: [ApiRoute { path: "health", integration: MockIntegration { handler: health_fn } }],
        }
    }
}

fn main() {}
