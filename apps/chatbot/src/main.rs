//! The Chatbot app: `cargo run -p chatbot -- synth`.
//!
//! Two stacks: the chatbot itself (`CdkChatbotStack` by default, the seed's name) and
//! `deployment-for-<project>`, which deploys the WebSocket API the first one creates.

use std::process::ExitCode;

use chatbot::{Chatbot, ChatbotDeployment, ChatbotProps};
use stack_app::AppSpec;
use stack_core::App;

fn main() -> ExitCode {
    let spec = AppSpec::new("chatbot")
        .context_default("stack_name", "CdkChatbotStack")
        .context_default("project_name", "chatbot")
        .context_default("stage", "dev");
    stack_app::run(spec, |ctx| {
        let mut props = ChatbotProps::new(ctx.get("project_name")?, ctx.get("stage")?);
        props.chat_image_uri = ctx.get_optional("chat_image_uri");
        let mut app = App::new();
        let main = app.add(Chatbot::new(ctx.get("stack_name")?, &props));
        app.add(ChatbotDeployment::new(
            props.deployment_stack_name(),
            &props,
            &main,
        ));
        Ok(app)
    })
}
