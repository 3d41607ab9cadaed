use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource api_key: Secret {
            secret_string_value: "sk-live-1234",
        }
    }
}

fn main() {}
