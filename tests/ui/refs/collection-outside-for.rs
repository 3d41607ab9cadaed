use stack_core::prelude::*;

pub struct Config {
    pub names: Vec<String>,
}

stack! {
    pub stack Demo(props: Config) {
        for name in &props.names {
            resource queues[name]: AWS::SQS::Queue {}
        }
        output first_queue = queues.queue_url;
    }
}

fn main() {}
