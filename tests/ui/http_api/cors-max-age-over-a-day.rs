use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource fallback_fn: Function {
            code: Code::inline("def handler(event, context):\n    return None\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource api: HttpApi {
            default_integration: HttpLambdaIntegration { handler: fallback_fn },
            cors_preflight: CorsPreflightOptions {
                allow_origins: ["https://example.com"],
                max_age: Duration::days(2),
            },
        }
    }
}

fn main() {}
