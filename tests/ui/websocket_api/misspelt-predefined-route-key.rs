use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource chat_fn: Function {
            code: Code::inline("def handler(event, context):\n    return None\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource api: WebSocketApi {
            stage_name: "dev",
            routes: [WebSocketRoute {
                route_key: "$conect",
                integration: WebSocketLambdaIntegration { handler: chat_fn },
            }],
        }
    }
}

fn main() {}
