use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource api: RestApi {
            default_cors_preflight: CorsOptions {
                allow_origins: ["*"],
                allow_credentials: true,
            },
            routes: [ApiRoute { path: "health", integration: MockIntegration {} }],
        }
    }
}

fn main() {}
