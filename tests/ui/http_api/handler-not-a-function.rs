use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource orders: Queue;
        resource api: HttpApi {
            default_integration: HttpLambdaIntegration { handler: orders },
        }
    }
}

fn main() {}
