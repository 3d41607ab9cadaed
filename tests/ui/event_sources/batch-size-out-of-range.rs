use stack_core::prelude::*;

stack! {
    pub stack Demo {
        resource jobs: Queue;
        resource worker: Function {
            code: Code::inline("def handler(event, context): pass"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource jobs_to_worker: SqsEventSource { function: worker, queue: jobs, batch_size: 20000 }
    }
}

fn main() {}
