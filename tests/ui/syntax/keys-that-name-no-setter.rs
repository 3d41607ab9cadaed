use stack_core::prelude::*;

// Keys that cannot be setter names are ordinary errors, never a crash of the macro: in a
// construct's options, in option types and inside environment values.
stack! {
    pub stack Demo {
        resource photos: Bucket {
            cors: [CorsRule { "": 1, "1x": 2, "r#": 3, "r#self": 4, allowed_methods: [HttpMethod::Get], allowed_origins: ["*"] }],
        }
        resource worker: Function {
            code: Code::inline("def handler(event, context): pass"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            environment: { NAME: Value { "a-b": 1, crate: 2, super: 3 } },
        }
    }
}

fn main() {}
