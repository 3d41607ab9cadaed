use stack_core::prelude::*;

// The stand-in of a stack with errors has the stack's fields, so using them adds none.
stack! {
    pub stack Demo {
        resource photos: Bucket { versionned: true }
        param stage: String = "prod";
    }
}

fn main() {
    let demo = Demo::new("Demo");
    let _ = demo.photos.arn();
    let _ = &demo.stage;
}
