use stack_core::prelude::*;

// Every mistake in a block is reported in one build, and none cascades.
stack! {
    pub stack Demo {
        resource photos: Bucket { versionned: true }
        resource queue: AWS::SQS::Queue { VisibilityTimeout: "30" }
        output photos_arn = photoes.arn;
    }
}

fn main() {
    let demo = Demo::new("Demo");
    let _ = stack_core::Stack::stack_name(&demo);
}
