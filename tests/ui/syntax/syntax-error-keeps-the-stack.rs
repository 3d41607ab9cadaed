use stack_core::prelude::*;

// A syntax error is the only error: the code that uses the stack and its fields still
// compiles against a stand-in.
stack! {
    pub stack Demo {
        resource photos: Bucket { versioned: true }
        resource queue: AWS::SQS::Queue { VisibilityTimeout 30 }
        output queue_arn = queue.arn;
    }
}

fn main() {
    let demo = Demo::new("Demo");
    let _ = demo.photos.arn();
    let _ = demo.queue.arn();
    let _ = &demo.queue_arn;
}
