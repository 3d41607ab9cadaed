use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource chat_fn: Function {
            code: Code::inline("def handler(event, context):\n    return None\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource api: WebSocketApi {
            stage_name: "prod/v1",
            default_route_options: WebSocketRouteOptions {
                integration: WebSocketLambdaIntegration { handler: chat_fn },
            },
        }
    }
}

fn main() {}
