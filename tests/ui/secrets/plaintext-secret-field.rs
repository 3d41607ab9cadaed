use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource langsmith: Secret {
            secret_object_value: {
                project: SecretValue::unsafe_plain_text("chatbot"),
                api_key: format!("lsv2-{}", 1234),
            },
        }
    }
}

fn main() {}
