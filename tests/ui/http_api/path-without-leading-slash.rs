use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource orders_fn: Function {
            code: Code::inline("def handler(event, context):\n    return None\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource api: HttpApi {
            routes: [HttpRoute {
                path: "orders",
                methods: [HttpMethod::Get],
                integration: HttpLambdaIntegration { handler: orders_fn },
            }],
        }
    }
}

fn main() {}
